"""Identifier rules: resident ID, unified social credit code, masking.

Reference vectors come from shared/domain/REFERENCE.md §3.1–3.2. Assertions match on problem
codes (stable) and check that messages name the facts the clerk needs (expected character etc.).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.identifiers import (
    CREDIT_CODE_CHARSET,
    credit_code_check_char,
    id_number_check_char,
    make_credit_code,
    make_id_number,
    mask_id_number,
    normalize_identifier,
    organization_code_check_char,
    validate_credit_code,
    validate_id_number,
)
from desktop.domain.problems import Problem, Severity, has_errors

TODAY = date(2026, 3, 1)
VALID_IDS = ["11010519491231002X", "440524188001010014"]
VALID_CREDIT_CODE = "91350100M000100Y43"


def codes(problems: tuple[Problem, ...]) -> list[str]:
    """Problem codes in order, for compact assertions."""
    return [problem.code for problem in problems]


def with_check_char(first17: str) -> str:
    """Complete 17 digits with their correct check char, so only the tested fault remains."""
    return first17 + id_number_check_char(first17)


# --------------------------------------------------------------------------- Problem


def test_problem_accepts_plain_severity_strings_and_rejects_typos() -> None:
    assert Problem("x", "消息", "warning").severity is Severity.WARNING
    assert Problem("x", "消息", "error").is_error
    with pytest.raises(ValueError):
        Problem("x", "消息", "warn")  # type: ignore[arg-type]


def test_has_errors_ignores_warnings() -> None:
    warning = Problem("a", "提醒", Severity.WARNING)
    error = Problem("b", "错误", Severity.ERROR)
    assert not has_errors([warning])
    assert has_errors([warning, error])


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        (" 110105 19491231\u3000002X\t", "11010519491231002X"),
        ("\ufeff91350100m000100y43\u200b", "91350100M000100Y43"),
        ("ＯＰＱＲＳＴＵＶＷＸＹＺ", "OPQRSTUVWXYZ"),
    ],
    ids=[
        "lower-x",
        "full-width-X",
        "full-width-x",
        "spaces-ideographic",
        "bom-zero-width",
        "full-width-letters",
    ],
)
def test_normalize_identifier(raw: str, expected: str) -> None:
    assert normalize_identifier(raw) == expected


def test_normalize_does_not_read_other_unicode_digits_as_ascii() -> None:
    # "①" and Arabic-Indic digits must stay visible as bad characters, not become "1".
    assert normalize_identifier("①٣") == "①٣"


# --------------------------------------------------------------------------- resident ID


@pytest.mark.parametrize(
    ("id_number", "birth", "sex"),
    [
        ("11010519491231002X", date(1949, 12, 31), "female"),
        ("440524188001010014", date(1880, 1, 1), "male"),
    ],
    ids=["beijing-1949-X", "guangdong-1880"],
)
def test_reference_ids_are_valid_and_decoded(id_number: str, birth: date, sex: str) -> None:
    check = validate_id_number(id_number, today=TODAY)
    assert check.ok
    assert check.problems == ()
    assert check.birth_date == birth
    assert check.sex == sex


@pytest.mark.parametrize(
    ("first17", "check_char"),
    [
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
        # Worked by hand: sum 0 -> index 0 -> "1"; sum 7 (weight of position 1) -> index 7 -> "5".
        ("00000000000000000", "1"),
        ("10000000000000000", "5"),
    ],
    ids=["vector-X", "vector-4", "sum-0", "sum-7"],
)
def test_id_number_check_char(first17: str, check_char: str) -> None:
    assert id_number_check_char(first17) == check_char


@pytest.mark.parametrize(
    "bad",
    ["1101051949123100", "1101051949123100A", "１１０１０５１９４９１２３１００２"],
    ids=["16-digits", "letter", "full-width"],
)
def test_id_number_check_char_refuses_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError):
        id_number_check_char(bad)


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２ｘ",
        "110105 19491231 002X",
        "110105\u300019491231\u3000002X",
    ],
    ids=["lower-x", "full-width-lower-x", "spaces", "ideographic-spaces"],
)
def test_id_input_variants_normalise_and_pass(raw: str) -> None:
    check = validate_id_number(raw, today=TODAY)
    assert check.ok
    assert check.normalized == "11010519491231002X"


def test_wrong_check_char_names_expected_and_actual() -> None:
    check = validate_id_number("110105194912310023", today=TODAY)
    assert not check.ok
    assert codes(check.problems) == ["id_number.check_char"]
    assert "应为 X" in check.problems[0].message
    assert "实际为 3" in check.problems[0].message
    # A number known to be wrong must not yield an age.
    assert check.birth_date is None and check.sex is None


def _single_changes(valid: str) -> list[tuple[str, str]]:
    """Every ID obtained by replacing one character of ``valid`` with another digit or X."""
    variants = []
    for index, original in enumerate(valid):
        for replacement in "0123456789X":
            if replacement != original:
                variant = valid[:index] + replacement + valid[index + 1 :]
                variants.append((f"{valid}-pos{index + 1}-{replacement}", variant))
    return variants


SINGLE_CHANGES = [change for valid in VALID_IDS for change in _single_changes(valid)]


@pytest.mark.parametrize("variant", [v for _, v in SINGLE_CHANGES], ids=[name for name, _ in SINGLE_CHANGES])
def test_every_single_character_change_of_an_id_is_rejected(variant: str) -> None:
    assert not validate_id_number(variant, today=TODAY).ok


def _transpositions(valid: str) -> list[tuple[str, str]]:
    """Every ID obtained by swapping two adjacent, different characters of ``valid``."""
    return [
        (f"{valid}-swap{i + 1}-{i + 2}", valid[:i] + valid[i + 1] + valid[i] + valid[i + 2 :])
        for i in range(len(valid) - 1)
        if valid[i] != valid[i + 1]
    ]


TRANSPOSITIONS = [t for valid in VALID_IDS for t in _transpositions(valid)]


@pytest.mark.parametrize("variant", [v for _, v in TRANSPOSITIONS], ids=[name for name, _ in TRANSPOSITIONS])
def test_adjacent_transpositions_of_an_id_are_rejected(variant: str) -> None:
    assert not validate_id_number(variant, today=TODAY).ok


@pytest.mark.parametrize(
    ("birth_digits", "valid"),
    [
        ("20200229", True),  # divisible by 4
        ("20000229", True),  # divisible by 400
        ("20230229", False),  # common year
        ("19000229", False),  # divisible by 100, not by 400
        ("20240230", False),
        ("20241301", False),
        ("20240100", False),
    ],
    ids=["2020-leap", "2000-leap", "2023-not-leap", "1900-not-leap", "feb-30", "month-13", "day-0"],
)
def test_birth_date_must_be_a_real_date(birth_digits: str, valid: bool) -> None:
    check = validate_id_number(with_check_char("620702" + birth_digits + "123"), today=TODAY)
    assert check.ok is valid
    if valid:
        assert check.birth_date == date(int(birth_digits[:4]), 2, 29)
    else:
        assert codes(check.problems) == ["id_number.birth_date_invalid"]
        assert birth_digits in check.problems[0].message


@pytest.mark.parametrize(
    ("birth", "valid"),
    [
        (TODAY, True),
        (TODAY - timedelta(days=1), True),
        (TODAY + timedelta(days=1), False),
        (date(2099, 1, 1), False),
    ],
    ids=["born-today", "born-yesterday", "born-tomorrow", "far-future"],
)
def test_birth_date_must_not_be_after_today(birth: date, valid: bool) -> None:
    check = validate_id_number(make_id_number("620702", birth, 1), today=TODAY)
    assert check.ok is valid
    if not valid:
        assert codes(check.problems) == ["id_number.birth_date_future"]


def test_today_is_a_parameter_not_the_clock() -> None:
    # The same number is in the future for an earlier "today" and fine for a later one.
    id_number = make_id_number("620702", date(2026, 6, 1), 2)
    assert not validate_id_number(id_number, today=date(2026, 5, 31)).ok
    assert validate_id_number(id_number, today=date(2026, 6, 1)).ok


@pytest.mark.parametrize(
    ("raw", "expected_codes"),
    [
        ("", ["id_number.empty"]),
        ("\u3000 ", ["id_number.empty"]),
        ("1101051949123100", ["id_number.length"]),
        ("11010519491231002X1", ["id_number.length"]),
        ("11010519491231002-", ["id_number.characters"]),
        ("1101051949123100-", ["id_number.length", "id_number.characters"]),
        ("1101051949123100X2", ["id_number.characters"]),
        ("11O10519491231002X", ["id_number.characters"]),
        ("11010519491231002Y", ["id_number.characters"]),
        ("110105194912310٠2X", ["id_number.characters"]),
    ],
    ids=[
        "empty",
        "only-spaces",
        "17-chars",
        "19-chars",
        "dash-check",
        "17-with-dash",
        "x-not-last",
        "letter-O",
        "Y-check",
        "arabic-indic-zero",
    ],
)
def test_malformed_ids_report_what_is_wrong(raw: str, expected_codes: list[str]) -> None:
    check = validate_id_number(raw, today=TODAY)
    assert codes(check.problems) == expected_codes
    assert all(problem.severity is Severity.ERROR for problem in check.problems)
    assert check.birth_date is None and check.sex is None


def test_bad_character_message_points_at_the_position() -> None:
    message = validate_id_number("11O10519491231002X", today=TODAY).problems[0].message
    assert "第 3 位“O”" in message


def test_length_message_says_the_actual_length() -> None:
    message = validate_id_number("1101051949123100", today=TODAY).problems[0].message
    assert "实际为 16 位" in message


@pytest.mark.parametrize(
    ("legacy", "birth", "sex", "upgraded"),
    [
        ("110105491231002", date(1949, 12, 31), "female", "11010519491231002X"),
        ("440524800101001", date(1980, 1, 1), "male", "440524198001010013"),
    ],
    ids=["1949-female", "1980-male"],
)
# The second upgraded number's check char was worked out by hand: weighted sum 196, 196 mod 11 = 9 -> "3".
def test_legacy_15_digit_ids_are_valid_with_a_warning(legacy: str, birth: date, sex: str, upgraded: str) -> None:
    check = validate_id_number(legacy, today=TODAY)
    assert check.ok
    assert codes(check.problems) == ["id_number.legacy_15"]
    assert check.problems[0].severity is Severity.WARNING
    assert check.birth_date == birth
    assert check.sex == sex
    # The warning tells the clerk the 18-digit number to type instead, and that number is valid.
    assert upgraded in check.problems[0].message
    assert validate_id_number(upgraded, today=TODAY).ok


@pytest.mark.parametrize(
    ("legacy", "expected_codes"),
    [
        ("110105490230002", ["id_number.birth_date_invalid", "id_number.legacy_15"]),
        ("11010549123100X", ["id_number.characters"]),
    ],
    ids=["feb-30", "X-in-15"],
)
def test_legacy_15_digit_ids_still_check_date_and_characters(legacy: str, expected_codes: list[str]) -> None:
    check = validate_id_number(legacy, today=TODAY)
    assert not check.ok
    assert codes(check.problems) == expected_codes


@pytest.mark.parametrize(
    "address_code",
    ["999999", "810000", "000000"],
    ids=["unknown-code", "hong-kong-permit", "zeros"],
)
def test_unknown_address_codes_are_not_rejected(address_code: str) -> None:
    assert validate_id_number(make_id_number(address_code, date(2024, 5, 6), 7), today=TODAY).ok


@pytest.mark.parametrize(
    ("address_code", "sequence"),
    [("62070", 1), ("62070A", 1), ("620702", -1), ("620702", 1000)],
    ids=["short-address", "letter-address", "negative-sequence", "sequence-1000"],
)
def test_make_id_number_refuses_bad_arguments(address_code: str, sequence: int) -> None:
    with pytest.raises(ValueError):
        make_id_number(address_code, date(2024, 1, 1), sequence)


def test_make_id_number_layout() -> None:
    assert make_id_number("110105", date(1949, 12, 31), 2) == "11010519491231002X"


@given(
    address_code=st.from_regex(r"[0-9]{6}", fullmatch=True),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_made_ids_always_validate_and_mask_away_the_birth_date(address_code: str, birth: date, sequence: int) -> None:
    id_number = make_id_number(address_code, birth, sequence)
    check = validate_id_number(id_number, today=TODAY)
    assert check.ok and check.problems == ()
    assert check.birth_date == birth
    assert check.sex == ("male" if sequence % 2 else "female")
    masked = mask_id_number(id_number)
    assert len(masked) == 18
    assert masked[6:14] == "********"
    assert birth.strftime("%Y%m%d") not in masked


@given(st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_id_check_char_satisfies_iso_7064_mod_11_2(first17: str) -> None:
    # The standard's own invariant, with weights 2^(18-i) mod 11 computed here rather than copied:
    # the weighted sum of all 18 characters (X = 10, check weight 1) is 1 mod 11.
    check_char = id_number_check_char(first17)
    weighted = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    assert (weighted + (10 if check_char == "X" else int(check_char))) % 11 == 1


@given(st.text(max_size=25))
def test_validate_id_number_never_raises(text: str) -> None:
    check = validate_id_number(text, today=TODAY)
    # Whatever came in, a number is only "ok" if it has a plausible length.
    assert not check.ok or len(check.normalized) in (15, 18)


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("620702199001011234", "620702********1234"),
        ("11010519491231002x", "110105********002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "110105********002X"),
        ("110105491231002", "110105******002"),  # 15: the 4th-last digit is the birth day
        ("12345678901", "123456*8901"),
        ("1234567890", "**********"),
        ("1234567", "*******"),
        ("", ""),
    ],
    ids=["18", "lower-x", "full-width", "15-legacy", "11-chars", "10-chars", "7-chars", "empty"],
)
def test_mask_id_number(raw: str, masked: str) -> None:
    assert mask_id_number(raw) == masked


@pytest.mark.parametrize("value", [None, 12345678, b"620702199001011234"], ids=["none", "int", "bytes"])
def test_mask_id_number_never_raises_on_non_strings(value: object) -> None:
    assert mask_id_number(value) == ""  # type: ignore[arg-type]


def test_mask_hides_the_birth_date_of_a_legacy_id() -> None:
    assert "491231" not in mask_id_number("110105491231002")


# --------------------------------------------------------------------------- credit code


def test_reference_credit_code_is_valid() -> None:
    check = validate_credit_code(VALID_CREDIT_CODE)
    assert check.ok
    assert check.problems == ()
    assert credit_code_check_char(VALID_CREDIT_CODE[:17]) == "3"
    assert organization_code_check_char("M000100Y") == "4"


# Codes printed on the business licences of well-known companies (Tencent, Alibaba, Huawei,
# Xiaomi). Each passes both the GB 32100 check and the organisation-code check at position 17,
# so they confirm both algorithms independently of REFERENCE.md's single vector.
REAL_CREDIT_CODES = ["91440300708461136T", "91330100716105852F", "914403001922038216", "91110108551385082Q"]


@pytest.mark.parametrize("code", REAL_CREDIT_CODES, ids=REAL_CREDIT_CODES)
def test_real_credit_codes_pass_both_checks(code: str) -> None:
    assert validate_credit_code(code).problems == ()
    assert organization_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize(
    ("first17", "check_char"),
    # Worked by hand: sum 0 -> C = 31 -> 0 -> "0"; sum 1 (position 1, weight 1) -> C = 30 -> "Y";
    # sum 28 (position 17, weight 28) -> C = 3 -> "3".
    [("00000000000000000", "0"), ("10000000000000000", "Y"), ("00000000000000001", "3")],
    ids=["C-31-wraps-to-0", "C-30-is-Y", "last-weight"],
)
def test_credit_code_check_char_edge_cases(first17: str, check_char: str) -> None:
    assert credit_code_check_char(first17) == check_char


@pytest.mark.parametrize(
    ("body8", "check_char"),
    # Worked by hand: sum 0 -> C = 11 -> "0"; 6 x weight 2 = 12 = 1 mod 11 -> C = 10 -> "X".
    [("00000000", "0"), ("00000006", "X"), ("M000100Y", "4")],
    ids=["C-11-is-0", "C-10-is-X", "vector"],
)
def test_organization_code_check_char_edge_cases(body8: str, check_char: str) -> None:
    assert organization_code_check_char(body8) == check_char


@given(st.text(alphabet=CREDIT_CODE_CHARSET, min_size=17, max_size=17))
def test_credit_check_char_makes_the_weighted_sum_zero_mod_31(first17: str) -> None:
    # Invariant of GB 32100 with weights 3^(i-1) mod 31 computed here, not copied.
    check_char = credit_code_check_char(first17)
    weighted = sum(CREDIT_CODE_CHARSET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    assert (weighted + CREDIT_CODE_CHARSET.index(check_char)) % 31 == 0


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8))
def test_organization_check_char_makes_the_weighted_sum_zero_mod_11(body8: str) -> None:
    check_char = organization_code_check_char(body8)
    weighted = sum(int(c, 36) * w for c, w in zip(body8, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    assert (weighted + (10 if check_char == "X" else int(check_char))) % 11 == 0


def test_make_credit_code_rebuilds_the_reference_vector() -> None:
    assert make_credit_code("9", "1", "350100", "M000100Y") == VALID_CREDIT_CODE


@pytest.mark.parametrize(
    "raw",
    ["91350100m000100y43", "９１３５０１００Ｍ０００１００Ｙ４３", " 9135 0100 M000 100Y 43 "],
    ids=["lower-case", "full-width", "spaces"],
)
def test_credit_code_input_variants_normalise_and_pass(raw: str) -> None:
    check = validate_credit_code(raw)
    assert check.ok and check.problems == ()
    assert check.normalized == VALID_CREDIT_CODE


def test_wrong_credit_check_char_is_an_overridable_warning() -> None:
    check = validate_credit_code("91350100M000100Y44")
    # A warning: early pilot codes fail the check but are legal, so saving stays possible.
    assert check.ok
    assert codes(check.problems) == ["credit_code.check_char"]
    assert check.problems[0].severity is Severity.WARNING
    assert "应为 3" in check.problems[0].message
    assert "实际为 4" in check.problems[0].message


@pytest.mark.parametrize(
    ("raw", "expected_codes"),
    [
        ("", ["credit_code.empty"]),
        ("91350100M000100Y4", ["credit_code.length"]),
        ("91350100M000100Y433", ["credit_code.length"]),
        ("91350100M0001O", ["credit_code.length", "credit_code.characters"]),
        ("91350100MO00100Y43", ["credit_code.characters"]),
        ("9135010IM000100Y43", ["credit_code.characters"]),
        ("913501A0M000100Y43", ["credit_code.characters"]),
        ("91350100M000100Y4Z", ["credit_code.characters"]),
        ("91350100M000100Y4-", ["credit_code.characters"]),
    ],
    ids=[
        "empty",
        "17-chars",
        "19-chars",
        "short-with-O",
        "letter-O",
        "letter-I-in-division",
        "letter-in-division",
        "Z-check",
        "dash",
    ],
)
def test_malformed_credit_codes_are_errors(raw: str, expected_codes: list[str]) -> None:
    check = validate_credit_code(raw)
    assert not check.ok
    assert codes(check.problems) == expected_codes


@pytest.mark.parametrize(
    ("dept", "entity", "division", "body"),
    [
        ("9", "1", "35010", "M000100Y"),
        ("9", "1", "350100", "M000100"),
        ("9", "1", "350100", "M000100O"),
        ("I", "1", "350100", "M000100Y"),
        ("9", "12", "350100", "M000100Y"),
    ],
    ids=["short-division", "short-body", "O-in-body", "I-dept", "two-char-entity"],
)
def test_make_credit_code_refuses_bad_arguments(dept: str, entity: str, division: str, body: str) -> None:
    with pytest.raises(ValueError):
        make_credit_code(dept, entity, division, body)


CHARSET = st.sampled_from(CREDIT_CODE_CHARSET)
CREDIT_CODES = st.builds(
    make_credit_code,
    CHARSET,
    CHARSET,
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.text(alphabet=CREDIT_CODE_CHARSET, min_size=8, max_size=8),
)


@given(CREDIT_CODES)
def test_made_credit_codes_always_validate(code: str) -> None:
    check = validate_credit_code(code)
    assert check.ok and check.problems == ()
    assert code[16] == organization_code_check_char(code[8:16])


@given(CREDIT_CODES, st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_of_a_credit_code_is_caught(code: str, index: int, data: st.DataObject) -> None:
    replacement = data.draw(st.sampled_from(CREDIT_CODE_CHARSET + "IOZSV").filter(lambda char: char != code[index]))
    changed = code[:index] + replacement + code[index + 1 :]
    assert validate_credit_code(changed).problems != ()


@given(CREDIT_CODES, st.integers(min_value=0, max_value=16))
def test_adjacent_transpositions_of_a_credit_code_are_caught(code: str, index: int) -> None:
    swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
    if swapped != code:
        assert validate_credit_code(swapped).problems != ()


@given(st.text(max_size=25))
def test_validate_credit_code_never_raises(text: str) -> None:
    validate_credit_code(text)
