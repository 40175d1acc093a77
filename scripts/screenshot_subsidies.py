"""Screenshots of the 补贴 area: the list with an enrollment application, a construction application
approved and then changed in the register (the frozen-amount warning), the month being prepared
(progress dialog), the children to look at afterwards, the reject dialog, the payment roster and
the annual summary.

    .venv/bin/python scripts/screenshot_subsidies.py [--out out/screenshots]

Runs Qt offscreen on a temporary database with the county demo (its children included), on the
demo's day.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from desktop.demo.zhangye import Scale
from desktop.domain.enums import SubsidyScheme
from desktop.domain.identifiers import make_id_number
from desktop.models import Child, Institution
from desktop.services.demo_service import load_demo
from desktop.services.startup import open_app
from desktop.services.subsidy_applications import approve, create_construction_application, first_review, pay, submit
from desktop.services.subsidy_queries import ApplicationFilter, list_applications
from desktop.services.unit_of_work import write_session
from desktop.ui.chinese import install_chinese
from desktop.ui.dialogs.payment_roster_dialog import AnnualSummaryDialog, PaymentRosterDialog
from desktop.ui.dialogs.subsidy_dialogs import IssuesDialog, RejectDialog
from desktop.ui.views import subsidy_view
from desktop.ui.views.subsidy_view import SubsidyView

TODAY = date(2026, 11, 23)
GANZHOU = "620702"


def settle(app: QApplication) -> None:
    for _ in range(10):
        app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("out/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    install_chinese(app)
    with tempfile.TemporaryDirectory(prefix="tuoyu-subsidies-") as scratch:
        ctx = open_app(data_dir=Path(scratch) / "data", url=None)
        load_demo(ctx, scale=Scale.COUNTY, seed=7, today=TODAY)
        with ctx.db.session_factory() as session:
            a, b = session.query(Institution.id).filter_by(county_code=GANZHOU, filing_status="filed").limit(2).all()
        with write_session(ctx.db, ctx.actor, ctx.node_id) as session:  # one child on two rosters
            number = make_id_number(GANZHOU, date(2024, 5, 2), 417)
            for institution_id in (a.id, b.id):
                session.add(Child(institution_id=institution_id, name="赵小雨", id_number=number,
                                  birth_date=date(2024, 5, 2), enrolled_on=date(2025, 9, 1)))  # fmt: skip
        out = args.out

        class ShownIssues(IssuesDialog):
            """The dialog the view opens after preparing, photographed instead of waited on."""

            def exec(self) -> int:
                self.show()
                settle(app)
                self.grab().save(str(out / "subsidy-prepare-issues.png"))
                self.close()
                return 0

        subsidy_view.IssuesDialog = ShownIssues
        view = SubsidyView(ctx, today=TODAY)
        view.resize(1400, 860)
        view.show()
        view.start_preparing(GANZHOU, "2026-11")
        settle(app)
        view.progress.grab().save(str(args.out / "subsidy-prepare-progress.png"))
        while view.progress is not None:
            settle(app)
        construction = create_construction_application(ctx, a.id, meets_standard=True, today=TODAY)
        for step in (submit, first_review, approve):
            step(ctx, construction.application_id, today=TODAY)
        with write_session(ctx.db, ctx.actor, ctx.node_id) as session:
            session.get(Institution, a.id).slots += 50
        view.period_edit.setText("")
        view.scheme_combo.setCurrentIndex(view.scheme_combo.findData(SubsidyScheme.CONSTRUCTION))
        view.refresh()
        view.select(construction.application_id)
        settle(app)
        view.grab().save(str(args.out / "subsidy-construction-frozen.png"))

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
        settle(app)
        view.grab().save(str(args.out / "subsidy-enrollment.png"))

        reject = RejectDialog("“甘州区阳光托育中心”的入托补贴申请（2026年11月）", view)
        reject.show()
        settle(app)
        reject.grab().save(str(args.out / "subsidy-reject.png"))
        reject.close()

        roster = PaymentRosterDialog(
            ctx, view._tasks, view._counties, county_code=GANZHOU, month="2026-11", parent=view
        )
        roster.load()
        roster.show()
        while roster.roster is None:
            settle(app)
        settle(app)
        roster.grab().save(str(args.out / "subsidy-roster.png"))
        roster.close()
        summary_dialog = AnnualSummaryDialog(ctx, view._tasks, view._counties, county_code=None, today=TODAY,
                                             parent=view)  # fmt: skip
        summary_dialog.load()
        summary_dialog.show()
        while summary_dialog.summary is None:
            settle(app)
        settle(app)
        summary_dialog.grab().save(str(args.out / "subsidy-annual-summary.png"))
        summary_dialog.close()
        view.close()
        ctx.close()
    print(f"screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
