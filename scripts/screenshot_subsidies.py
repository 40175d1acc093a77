"""Screenshots of the 补贴 area: the list with an enrollment application, a construction application
approved and then changed in the register (the frozen-amount warning), the month being prepared
(progress dialog), the children to look at afterwards, the reject dialog, the payment roster and
the annual summary.

    .venv/bin/python scripts/screenshot_subsidies.py [--out out/screenshots]

Runs Qt offscreen on a temporary database with the county demo (its children included), on the
demo's day.
"""

from __future__ import annotations

import sys
from datetime import date

from screenshot_kit import TODAY, shooting

from desktop.domain.enums import SubsidyScheme
from desktop.domain.identifiers import make_id_number
from desktop.models import Child, Institution
from desktop.services.subsidy_applications import approve, create_construction_application, first_review, pay, submit
from desktop.services.subsidy_queries import ApplicationFilter, list_applications
from desktop.services.unit_of_work import write_session
from desktop.ui.dialogs.payment_roster_dialog import AnnualSummaryDialog, PaymentRosterDialog
from desktop.ui.dialogs.subsidy_dialogs import IssuesDialog, RejectDialog
from desktop.ui.views import subsidy_view
from desktop.ui.views.subsidy_view import SubsidyView

GANZHOU = "620702"


def main() -> int:
    with shooting("tuoyu-subsidies-") as camera:
        ctx = camera.open_demo()
        with ctx.db.session_factory() as session:
            a, b = session.query(Institution.id).filter_by(county_code=GANZHOU, filing_status="filed").limit(2).all()
        with write_session(ctx.db, ctx.actor, ctx.node_id) as session:  # one child on two rosters
            number = make_id_number(GANZHOU, date(2024, 5, 2), 417)
            for institution_id in (a.id, b.id):
                session.add(Child(institution_id=institution_id, name="赵小雨", id_number=number,
                                  birth_date=date(2024, 5, 2), enrolled_on=date(2025, 9, 1)))  # fmt: skip

        class ShownIssues(IssuesDialog):
            """The dialog the view opens after preparing, photographed instead of waited on."""

            def exec(self) -> int:
                camera.shoot_shown(self, "subsidy-prepare-issues")
                return 0

        subsidy_view.IssuesDialog = ShownIssues
        view = SubsidyView(ctx, today=TODAY)
        view.resize(1400, 860)
        view.show()
        view.start_preparing(GANZHOU, "2026-11")
        camera.shoot(view.progress, "subsidy-prepare-progress")
        camera.wait_until(lambda: view.progress is None)
        construction = create_construction_application(ctx, a.id, meets_standard=True, today=TODAY)
        for step in (submit, first_review, approve):
            step(ctx, construction.application_id, today=TODAY)
        with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
            session.get(Institution, a.id).slots += 50
        view.period_edit.setText("")
        view.scheme_combo.setCurrentIndex(view.scheme_combo.findData(SubsidyScheme.CONSTRUCTION))
        view.refresh()
        view.select(construction.application_id)
        camera.shoot(view, "subsidy-construction-frozen")

        view.scheme_combo.setCurrentIndex(view.scheme_combo.findData(SubsidyScheme.ENROLLMENT))
        view.period_edit.setText("2026-11")
        view.refresh()
        enrollment = [
            row
            for row in list_applications(ctx, ApplicationFilter(county_code=GANZHOU, scheme=SubsidyScheme.ENROLLMENT))
            if row.eligible
        ]
        for row in enrollment[:3]:
            for step in (submit, first_review, approve):
                step(ctx, row.id, today=TODAY)
        pay(ctx, enrollment[0].id, today=TODAY)
        pay(ctx, construction.application_id, today=TODAY)
        view.refresh()
        view.select(enrollment[1].id)
        camera.shoot(view, "subsidy-enrollment")

        reject = RejectDialog("“甘州区阳光托育中心”的入托补贴申请（2026年11月）", view)
        camera.shoot_shown(reject, "subsidy-reject")

        roster = PaymentRosterDialog(
            ctx, view._tasks, view._counties, county_code=GANZHOU, month="2026-11", parent=view
        )
        roster.load()
        roster.show()
        camera.wait_until(lambda: roster.roster is not None)
        camera.shoot(roster, "subsidy-roster")
        roster.close()
        summary_dialog = AnnualSummaryDialog(ctx, view._tasks, view._counties, county_code=None, today=TODAY,
                                             parent=view)  # fmt: skip
        summary_dialog.load()
        summary_dialog.show()
        camera.wait_until(lambda: summary_dialog.summary is not None)
        camera.shoot(summary_dialog, "subsidy-annual-summary")
        summary_dialog.close()
        view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
