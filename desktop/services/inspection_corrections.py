"""Correcting a finished inspection: a new record that names the one it corrects, never an edit.

A finished inspection is legal evidence and the database refuses to change it. When its record is
wrong (an answer mistyped, a note left out), ``correct_inspection`` opens a new draft that
``corrects_id`` the original and starts from a copy of it — same visit (date and time), template
version, kind, period, draw, institution, inspectors, representative and answers. The inspector
edits the draft on the normal inspection screen and finishes it with ``finish_inspection``.

The rules, and why:

- Only a finished inspection is corrected (a draft is simply edited), and only once: a correction
  chain has one latest record. A corrected inspection is not corrected again — the correction is
  (``correct the correction``). While a correction draft is open, a second one is refused
  (``CorrectionPending`` names the open draft, so the screen can reopen it).
- Notices are legal documents that were served on the institution; they are never withdrawn or
  renumbered. Finishing a correction therefore:
  * issues a notice only when no record of the chain issued one and the correction has findings
    (its deadline counts from the day the correction is finished, when the notice is served);
  * issues no second notice when an earlier record of the chain has one: that notice stays in force
    and is closed by a 回头看 as usual. The result warns when the corrected findings differ from the
    notice's items, or when the correction found nothing while the notice is still open.
- A 回头看 that closed its notice cannot be corrected: the closure is append-only and cannot be
  withdrawn, so a wrong closure is dealt with by a new inspection (专项检查), not by rewriting this one.
  A 回头看 that did not close its notice may be corrected, and closes it if every item passed.
- Counting is unaffected: the ledger counts institutions inspected (distinct), not inspections, so
  an original and its correction count once; and a chain has at most one notice.
- ``corrected_at`` is when the correction was opened (the draft's ``created_at``; now by default).
  The visit's ``inspected_at`` is the original's: the correction describes the same visit.
- Photos stay with the original record (they document the visit, whichever record is right).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.enums import InspectionConclusion, InspectionKind
from desktop.domain.inspection_outcome import Finding
from desktop.domain.problems import Problem, Severity
from desktop.errors import NotFoundError, TuoyuError
from desktop.models import Inspection, InspectionAnswer, RectificationClosure, RectificationNotice
from desktop.models.base import utc_now
from desktop.services.startup import AppContext
from desktop.services.unit_of_work import write_session


class CorrectionPending(TuoyuError):
    """A correction of this inspection is already open as a draft: finish that one instead."""

    def __init__(self, draft_id: uuid.UUID) -> None:
        super().__init__("这次检查已有一份未完成的更正草稿。请打开该草稿继续填写并完成，不要另开更正。")
        self.draft_id = draft_id


def correct_inspection(ctx: AppContext, inspection_id: uuid.UUID, *, corrected_at: datetime | None = None) -> uuid.UUID:
    """Open a correction of a finished inspection as a draft copied from it; return the draft's id."""
    with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
        # Locked (PostgreSQL) so that two clerks cannot both open a correction of it.
        original = session.get(Inspection, inspection_id, with_for_update=True)
        if original is None:
            raise NotFoundError("找不到该检查记录，可能已被其他用户删除。请刷新后再试。")
        if not original.finished:
            raise TuoyuError("这次检查还是草稿，可以直接打开修改，不需要更正。")
        later = session.execute(
            select(Inspection.id, Inspection.finished).where(Inspection.corrects_id == original.id)
        ).all()
        if any(row.finished for row in later):
            raise TuoyuError("这次检查已经被更正过，以更正后的记录为准。如更正记录也有误，请对更正记录再作更正。")
        if later:
            raise CorrectionPending(later[0].id)
        if original.kind is InspectionKind.FOLLOW_UP and _closed_by(session, original.id):
            raise TuoyuError(
                "这次回头看已据此对整改通知书销号，销号不能撤回，所以这条记录不能更正。"
                "如整改情况确有问题，请对该机构另行开展专项检查。"
            )
        draft = Inspection(
            institution_id=original.institution_id,
            template_id=original.template_id,
            kind=original.kind,
            period=original.period,
            draw_id=original.draw_id,
            follow_up_of=original.follow_up_of,
            corrects_id=original.id,
            inspected_at=original.inspected_at,
            inspectors=original.inspectors,
            representative=original.representative,
            finished=False,
            conclusion=InspectionConclusion.INCOMPLETE,
            score=None,
            created_at=corrected_at or utc_now(),
        )
        session.add(draft)
        session.flush()
        for answer in session.scalars(select(InspectionAnswer).where(InspectionAnswer.inspection_id == original.id)):
            session.add(
                InspectionAnswer(
                    inspection_id=draft.id, item_code=answer.item_code, answer=answer.answer, note=answer.note
                )
            )
        session.flush()
        return draft.id


def _closed_by(session: Session, follow_up_id: uuid.UUID) -> bool:
    closure = select(RectificationClosure.id).where(RectificationClosure.follow_up_id == follow_up_id).limit(1)
    return session.scalar(closure) is not None


def notice_of_chain(session: Session, inspection: Inspection) -> RectificationNotice | None:
    """The notice issued by an earlier record of this correction's chain (None for a non-correction)."""
    earlier: list[uuid.UUID] = []
    step = inspection.corrects_id
    while step is not None and step not in earlier:
        earlier.append(step)
        step = session.scalar(select(Inspection.corrects_id).where(Inspection.id == step))
    if not earlier:
        return None
    return session.scalar(
        select(RectificationNotice)
        .where(RectificationNotice.inspection_id.in_(earlier))
        .order_by(RectificationNotice.issued_on)
        .limit(1)
    )


def correction_warnings(notice: RectificationNotice | None, findings: Sequence[Finding]) -> tuple[Problem, ...]:
    """What the clerk should know when a finished correction issues no notice because one stands."""
    if notice is None:
        return ()
    number = notice.document_number
    if not findings:
        return (
            Problem(
                "correction.notice_stands",
                f"更正后没有不符合项，但整改通知书 {number} 已经送达，不能撤回；请通过整改回头看复查后销号。",
                Severity.WARNING,
            ),
        )
    on_notice = {values["item_code"] for values in json.loads(notice.items_json)}
    added = [f for f in findings if f.item_code not in on_notice]
    if not added:
        return (
            Problem(
                "correction.notice_kept",
                f"整改通知书 {number} 继续有效，更正不另发通知书。",
                Severity.WARNING,
            ),
        )
    return (
        Problem(
            "correction.findings_not_on_notice",
            f"整改通知书 {number} 继续有效，更正不另发通知书；更正后新增的不符合项"
            f"（{'、'.join(f.text for f in added[:5])}{'等' if len(added) > 5 else ''}）不在该通知书上，"
            "请另行开展专项检查处理。",
            Severity.WARNING,
        ),
    )
