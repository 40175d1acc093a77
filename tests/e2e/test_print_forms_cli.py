"""``tuoyu print application`` and ``tuoyu print institution`` on the county demo."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from desktop.models import EnrollmentClaim, Institution, StaffMember, SubsidyApplication
from desktop.services.startup import open_app
from tests.e2e.test_cli import one_json, tuoyu
from tests.pdf_reading import all_fonts_embedded_subsets, pdf_text, squeezed


def read_demo(data_dir: Path, query):
    ctx = open_app(data_dir=data_dir, url=None)
    try:
        with ctx.db.session_factory() as session:
            return session.execute(query).first()
    finally:
        ctx.close()


def test_an_application_is_printed_to_a_pdf_by_its_id(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data_dir).returncode == 0
    prepare = ("subsidy", "prepare", "--month", "2026-11", "--county", "620702", "--today", "2026-11-23")
    assert tuoyu(*prepare, data_dir=data_dir).returncode == 0
    children = func.count(EnrollmentClaim.id)
    biggest = (
        select(SubsidyApplication.id, children)
        .join(EnrollmentClaim, EnrollmentClaim.application_id == SubsidyApplication.id)
        .where(SubsidyApplication.eligible.is_(True))
        .group_by(SubsidyApplication.id)
        .order_by(children.desc())
    )
    application_id, claims = read_demo(data_dir, biggest)
    out = tmp_path / "补贴申请审核表.pdf"
    run = tuoyu(
        "print", "application", "--id", str(application_id), "--out", str(out), "--today", "2026-11-23", "--json",
        data_dir=data_dir,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    printed = one_json(run)
    assert printed["ok"] and printed["children"] == claims and printed["undrawable"] == []
    assert printed["scheme"] == "入托补贴" and printed["period"] == "2026年11月" and printed["pages"] > 1
    text = squeezed(pdf_text(out.read_bytes()))
    assert printed["institution_name"] in text and printed["amount_words"] in text
    assert "打印日期：2026年11月23日" in text and "审批人（签字）" in text
    assert all_fonts_embedded_subsets(out.read_bytes())

    missing = tuoyu("print", "application", "--id", "0190a0b0-0000-7000-8000-000000000000", "--out", str(out),
                    data_dir=data_dir)  # fmt: skip
    assert missing.returncode == 1 and "找不到补贴申请" in missing.stderr
    wrong = tuoyu("print", "application", "--id", "不是ID", "--out", str(out), "--json", data_dir=data_dir)
    assert wrong.returncode == 1 and "格式不对" in one_json(wrong)["error"]


def test_an_institution_is_printed_to_a_pdf_by_its_credit_code(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert tuoyu("demo", "--today", "2026-11-23", data_dir=data_dir).returncode == 0
    staffed = (
        select(Institution.credit_code, Institution.name, StaffMember.id_number)
        .join(StaffMember, StaffMember.institution_id == Institution.id)
        .where(Institution.credit_code.is_not(None), StaffMember.employed_until.is_(None))
    )
    credit_code, name, id_number = read_demo(data_dir, staffed)
    out = tmp_path / "登记表.pdf"
    run = tuoyu(
        "print", "institution", "--id", credit_code, "--out", str(out), "--today", "2026-11-23", "--json",
        data_dir=data_dir,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    printed = one_json(run)
    assert printed["ok"] and printed["institution_name"] == name and printed["credit_code"] == credit_code
    assert printed["staff"] >= 1 and printed["undrawable"] == []
    text = squeezed(pdf_text(out.read_bytes()))
    assert name in text and credit_code in text and "托育机构基本情况登记表" in text
    assert id_number[:6] + "********" + id_number[-4:] in text and id_number not in text
    assert all_fonts_embedded_subsets(out.read_bytes())

    plain = tuoyu("print", "institution", "--id", credit_code, "--out", str(out), data_dir=data_dir)
    assert plain.returncode == 0 and f"已写出托育机构基本情况登记表（{name}" in plain.stdout
    missing = tuoyu("print", "institution", "--id", "91620702MA7XXXXXXX", "--out", str(out), data_dir=data_dir)
    assert missing.returncode == 1 and "找不到机构" in missing.stderr
