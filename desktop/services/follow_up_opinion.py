"""Gathering the 复查意见书: the 回头看 of a rectification notice, item by item, as desktop.reports.follow_up_opinion
prints it.

Asked for by the notice (its document number or id), the opinion is that of the notice's latest finished 回头看.
Asked for by an inspection id, it is that 回头看's. Either way a 回头看 that a finished correction replaced is read
through to the correction (the correction describes the same visit, and it is the record that stands). Whether
each item is rectified comes from the same rule that closed or kept open the notice
(desktop.domain.inspection_outcome.evaluate_follow_up), so paper and register never disagree.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.amount_words import format_yuan
from desktop.domain.enums import ViolationAction
from desktop.domain.inspection_outcome import evaluate_follow_up
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Inspection, InspectionAnswer, Institution, RectificationNotice, Region, Violation
from desktop.reports.follow_up_opinion import FollowUpOpinionDocument, RecheckedItem, RecheckResult
from desktop.services.inspections import findings_of
from desktop.services.printing import issuing_body
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import read_session
from desktop.services.violations import VIOLATION_COLUMNS, ViolationLine, standing


def follow_up_opinion_document(ctx: AppContext, key: str) -> FollowUpOpinionDocument:
    """The 复查意见书 of a notice (by document number or id) or of a 回头看 (by inspection id)."""
    with read_session(ctx.db) as session:
        follow_up = _follow_up(session, key.strip())
        notice = session.get(RectificationNotice, follow_up.follow_up_of)
        if notice is None:  # the link has no foreign key (see the model); a synced record may lack its notice
            raise NotFoundError("这次回头看所复查的整改通知书不在本系统中：请先同步县区数据，再打印复查意见书。")
        institution = session.get_one(Institution, notice.institution_id)
        county = session.scalar(select(Region.name).where(Region.code == notice.county_code))
        answers, notes = {}, {}
        for row in session.scalars(select(InspectionAnswer).where(InspectionAnswer.inspection_id == follow_up.id)):
            answers[row.item_code] = row.answer
            notes[row.item_code] = row.note or ""
        rechecked_on = follow_up.inspected_at.astimezone().date()
        findings = findings_of(notice)
        outcome = evaluate_follow_up(findings, answers, notes, inspected_on=rechecked_on)
        found = {item.finding.item_code: item for item in outcome.rechecked}
        items = []
        for number, finding in enumerate(findings, start=1):
            item = found.get(finding.item_code)
            if item is None:
                result, overdue, note = RecheckResult.NOT_RECHECKED, False, ""
            else:
                result = RecheckResult.RECTIFIED if item.rectified else RecheckResult.NOT_RECTIFIED
                overdue, note = item.overdue, item.note
            items.append(RecheckedItem(number, finding.area_title, finding.text, result, overdue, note))
        return FollowUpOpinionDocument(
            issuing_body=issuing_body(county or notice.county_code),
            notice_number=notice.document_number,
            notice_issued_on=notice.issued_on,
            deadline=notice.deadline,
            institution_name=institution.name,
            institution_address=institution.address,
            rechecked_on=rechecked_on,
            inspectors=follow_up.inspectors,
            items=tuple(items),
            actions=_actions(session, follow_up),
            issued_on=rechecked_on,
        )


def _follow_up(session: Session, key: str) -> Inspection:
    try:
        record_id = uuid.UUID(key)
    except ValueError:
        notice = session.scalar(select(RectificationNotice).where(RectificationNotice.document_number == key))
        if notice is None:
            raise NotFoundError(
                f"找不到整改通知书“{key}”：请输入通知书编号（如 甘州卫监改〔2026〕12号），或回头看检查记录的 ID。"
            ) from None
        return _latest_follow_up(session, notice)
    inspection = session.get(Inspection, record_id)
    if inspection is not None:
        return _standing_follow_up(session, inspection)
    notice = session.get(RectificationNotice, record_id)
    if notice is not None:
        return _latest_follow_up(session, notice)
    raise NotFoundError(f"找不到 ID 为 {key} 的回头看检查记录或整改通知书：请核对 ID，或改用通知书编号。")


def _standing_follow_up(session: Session, inspection: Inspection) -> Inspection:
    if inspection.follow_up_of is None:
        raise TuoyuError(
            f"这条检查记录是{inspection.kind.label}，不是整改回头看，没有复查意见书。"
            "请输入回头看检查记录的 ID，或整改通知书编号。"
        )
    if not inspection.finished:
        raise TuoyuError("这次回头看还是草稿：请先完成回头看，再打印复查意见书。")
    return _corrected(session, inspection)


def _corrected(session: Session, inspection: Inspection) -> Inspection:
    """The finished correction that replaced ``inspection`` (and so on), else ``inspection`` itself."""
    seen = {inspection.id}
    while True:
        correction = session.scalar(
            select(Inspection).where(Inspection.corrects_id == inspection.id, Inspection.finished.is_(True))
        )
        if correction is None or correction.id in seen:
            return inspection
        seen.add(correction.id)
        inspection = correction


def _latest_follow_up(session: Session, notice: RectificationNotice) -> Inspection:
    follow_ups = list(
        session.scalars(
            select(Inspection)
            .where(Inspection.follow_up_of == notice.id)
            .order_by(Inspection.inspected_at.desc(), Inspection.created_at.desc())
        )
    )
    replaced = {f.corrects_id for f in follow_ups if f.finished and f.corrects_id is not None}
    standing_ones = [f for f in follow_ups if f.finished and f.id not in replaced]
    if standing_ones:
        return standing_ones[0]
    if follow_ups:
        raise TuoyuError(
            f"整改通知书 {notice.document_number} 的回头看还没有完成（仍是草稿）：请先完成回头看，再打印复查意见书。"
        )
    raise TuoyuError(
        f"整改通知书 {notice.document_number} 还没有回头看：请先对该机构开展整改回头看，完成后再打印复查意见书。"
    )


def _actions(session: Session, follow_up: Inspection) -> tuple[str, ...]:
    """The violations decided at this visit (on its record or the records it corrected), as they stand."""
    chain, step = [], follow_up.id
    while step is not None and step not in chain:
        chain.append(step)
        step = session.scalar(select(Inspection.corrects_id).where(Inspection.id == step))
    rows = session.execute(
        select(*VIOLATION_COLUMNS)
        .where(Violation.inspection_id.in_(chain))
        .order_by(Violation.decided_on, Violation.created_at)
    ).all()
    return tuple(_action_text(line) for line in standing(ViolationLine(*row) for row in rows))


def _action_text(line: ViolationLine) -> str:
    action = line.action.label
    if line.action is ViolationAction.FINE and line.fine_fen:
        action += f"人民币{format_yuan(line.fine_fen)}元"
    decision = f"（{line.decision_number}）" if line.decision_number else ""
    return f"{line.description}，{action}{decision}"
