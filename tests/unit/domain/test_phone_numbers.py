"""Phone numbers: mainland mobiles and landlines with area code, typed the ways clerks type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.phone_numbers import validate_phone
from desktop.domain.problems import Problem


def codes(problems: tuple[Problem, ...]) -> list[str]:
    return [problem.code for problem in problems]


@pytest.mark.parametrize(
    ("raw", "normalized", "kind"),
    [
        ("13912345678", "13912345678", "mobile"),
        ("139-1234-5678", "13912345678", "mobile"),
        ("139 1234 5678", "13912345678", "mobile"),
        ("+86 139 1234 5678", "13912345678", "mobile"),
        ("１３９１２３４５６７８", "13912345678", "mobile"),
        ("0936-8212345", "0936-8212345", "landline"),
        ("09368212345", "0936-8212345", "landline"),
        ("(0936)8212345", "0936-8212345", "landline"),
        ("（０９３６）８２１２３４５", "0936-8212345", "landline"),
        ("０９３６－８２１２３４５", "0936-8212345", "landline"),
        ("0936—8212345", "0936-8212345", "landline"),
        ("010-62345678", "010-62345678", "landline"),
        ("02162345678", "021-62345678", "landline"),
        ("0936-8212345-801", "0936-8212345-801", "landline"),
        ("0936-8212345转801", "0936-8212345-801", "landline"),
        ("0936-8212345 ext. 801", "0936-8212345-801", "landline"),
    ],
    ids=[
        "mobile",
        "mobile-dashes",
        "mobile-spaces",
        "mobile-+86",
        "mobile-full-width",
        "landline",
        "landline-no-dash",
        "landline-parens",
        "landline-full-width-parens",
        "landline-full-width-dash",
        "landline-em-dash",
        "beijing",
        "shanghai-no-dash",
        "extension-dash",
        "extension-zhuan",
        "extension-ext",
    ],
)
def test_valid_phone_numbers(raw: str, normalized: str, kind: str) -> None:
    check = validate_phone(raw)
    assert check.ok and check.problems == ()
    assert check.normalized == normalized
    assert check.kind == kind


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "phone.empty"),
        ("1391234567", "phone.mobile_length"),
        ("139123456789", "phone.mobile_length"),
        ("12912345678", "phone.mobile_prefix"),
        ("13912345678转8", "phone.mobile_length"),
        ("8212345", "phone.area_code_missing"),
        ("0936-821234", "phone.landline_format"),
        ("0936-082123456", "phone.landline_format"),
        ("0936-821234567", "phone.landline_format"),
        ("139l2345678", "phone.characters"),
        ("电话0936-8212345", "phone.characters"),
        ("()-", "phone.characters"),
        ("0", "phone.landline_format"),
    ],
    ids=[
        "empty",
        "mobile-10",
        "mobile-12",
        "mobile-12x",
        "mobile-extension",
        "no-area-code",
        "local-6",
        "local-starts-0",
        "local-9",
        "letter-l",
        "chinese-text",
        "no-digits",
        "lone-zero",
    ],
)
def test_invalid_phone_numbers(raw: str, code: str) -> None:
    check = validate_phone(raw)
    assert not check.ok
    assert check.kind is None
    assert codes(check.problems) == [code]


@given(st.text(max_size=30))
def test_validate_phone_never_raises(text: str) -> None:
    check = validate_phone(text)
    assert check.ok == (check.kind is not None)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("13912345678", "139****5678"),
        ("0936-8212345", "093*****2345"),
        ("１３９１２３４５６７８", "139****5678"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_a_phone_number_is_masked_keeping_its_first_three_and_last_four(text, masked):
    from desktop.domain.phone_numbers import mask_phone_number

    assert mask_phone_number(text) == masked
