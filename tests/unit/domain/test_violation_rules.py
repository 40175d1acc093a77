"""check_violation: a description, an amount only for a fine, a decision dated between the inspection
and today, and the papers an administrative penalty needs."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.enums import ViolationAction
from desktop.domain.problems import Severity
from desktop.domain.violation_rules import MAX_FINE_FEN, PENALTIES, VIOLATION_FIELDS, ViolationFacts, check_violation

E, W = Severity.ERROR, Severity.WARNING
INSPECTED = date(2026, 9, 30)
TODAY = date(2026, 11, 23)
A = ViolationAction


def facts(**changes) -> ViolationFacts:
    values = {
        "description": "未按规定配备消防器材",
        "action": A.ORDER_CORRECTION,
        "decided_on": date(2026, 10, 8),
        "legal_basis": "《消防法》第十六条",
        "fine_fen": None,
        "decision_number": "甘州卫罚〔2026〕3号",
    }
    return ViolationFacts(**(values | changes))


def found(**changes) -> list[tuple[str, Severity, str | None]]:
    return [
        (p.code, p.severity, p.field) for p in check_violation(facts(**changes), inspected_on=INSPECTED, today=TODAY)
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"description": ""}, [("violation.description_empty", E, "description")]),
        ({"description": "   "}, [("violation.description_empty", E, "description")]),
        ({"description": None}, [("violation.description_empty", E, "description")]),
        # A fine needs an amount above zero; nothing else takes one.
        ({"action": A.FINE, "fine_fen": 500_000}, []),
        ({"action": A.FINE, "fine_fen": 1}, []),
        ({"action": A.FINE, "fine_fen": None}, [("violation.fine_missing", E, "fine_fen")]),
        ({"action": A.FINE, "fine_fen": 0}, [("violation.fine_missing", E, "fine_fen")]),
        ({"action": A.FINE, "fine_fen": -100}, [("violation.fine_missing", E, "fine_fen")]),
        ({"action": A.FINE, "fine_fen": MAX_FINE_FEN}, []),
        ({"action": A.FINE, "fine_fen": MAX_FINE_FEN + 1}, [("violation.fine_too_large", E, "fine_fen")]),
        ({"action": A.WARNING, "fine_fen": 500_000}, [("violation.fine_not_allowed", E, "fine_fen")]),
        ({"action": A.ORDER_CORRECTION, "fine_fen": 0}, [("violation.fine_not_allowed", E, "fine_fen")]),
        ({"action": A.REFERRAL, "fine_fen": 100}, [("violation.fine_not_allowed", E, "fine_fen")]),
        # The decision falls between the inspection and today, both days included.
        ({"decided_on": INSPECTED}, []),
        ({"decided_on": TODAY}, []),
        ({"decided_on": date(2026, 9, 29)}, [("violation.decided_before_inspection", E, "decided_on")]),
        ({"decided_on": date(2026, 11, 24)}, [("violation.decided_in_future", E, "decided_on")]),
        ({"decision_number": "号" * 60}, []),
        ({"decision_number": "号" * 61}, [("violation.decision_number_too_long", E, "decision_number")]),
        # Penalties want their legal basis and decision number (warnings: the paper may come later).
        ({"action": A.WARNING, "legal_basis": None}, [("violation.penalty_without_basis", W, "legal_basis")]),
        (
            {"action": A.SUSPENSION, "decision_number": " "},
            [("violation.penalty_without_decision", W, "decision_number")],
        ),
        (
            {"action": A.FINE, "fine_fen": 200_000, "legal_basis": "", "decision_number": None},
            [
                ("violation.penalty_without_basis", W, "legal_basis"),
                ("violation.penalty_without_decision", W, "decision_number"),
            ],
        ),
        ({"action": A.INTERVIEW, "legal_basis": None, "decision_number": None}, []),
        ({"action": A.ORDER_CORRECTION, "legal_basis": None, "decision_number": None}, []),
        # Several problems come in the order of the form.
        (
            {"description": "", "action": A.FINE, "decided_on": date(2026, 12, 1)},
            [
                ("violation.description_empty", E, "description"),
                ("violation.fine_missing", E, "fine_fen"),
                ("violation.decided_in_future", E, "decided_on"),
            ],
        ),
    ],
)
def test_violation_rules(changes, expected) -> None:
    assert found(**changes) == expected


def test_messages_say_what_is_wrong_and_what_to_do_in_chinese() -> None:
    problems = check_violation(
        facts(action=A.WARNING, fine_fen=500_000, decided_on=date(2026, 9, 1)), inspected_on=INSPECTED, today=TODAY
    )
    messages = {p.code: p.message for p in problems}
    assert messages["violation.fine_not_allowed"] == (
        "处理措施为“警告”，不应填写罚款金额。请清空金额，或把处理措施改为“罚款”。"
    )
    assert "2026年9月1日" in messages["violation.decided_before_inspection"]
    assert "2026年9月30日" in messages["violation.decided_before_inspection"]


def test_every_problem_names_a_field_of_the_form() -> None:
    worst = facts(description="", action=A.FINE, fine_fen=None, legal_basis=None, decision_number="号" * 61)
    problems = check_violation(worst, inspected_on=INSPECTED, today=TODAY)
    assert problems and all(p.field in VIOLATION_FIELDS for p in problems)


def test_the_penalties_are_the_administrative_penalties_of_the_law() -> None:
    assert {a.label for a in PENALTIES} == {"警告", "罚款", "责令停业整顿"}
