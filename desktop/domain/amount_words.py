"""Amounts of money in Chinese capitals (大写金额) and in figures, from integer fen.

Payment rosters, application forms and approvals print every total twice, in figures and in capitals,
so that a changed figure shows. The capitals follow the rules for filling in bills and settlement
vouchers in the PBOC payment-settlement measures (REFERENCE.md §4.2):

- "人民币" directly before the amount; 整 after an amount that ends at 元, none after 角 or 分;
- a zero or a run of zeros in the middle is one 零; a leading 拾 takes 壹 (壹拾伍元整);
- 零 after 元 when 角 is 0 and 分 is not (叁佰贰拾伍元零肆分).

Where rule 5 allows either spelling, one is chosen and kept (REFERENCE's canonical output): 零 is
written after 元 when the 元 digit is 0 and 角 is not (壹仟陆佰捌拾元零叁角贰分), and not written for
a zero 万 digit followed by a non-zero 千 digit (壹拾万柒仟元零伍角叁分). A whole 万 group of zeros
between non-zero groups still gives one 零 (壹亿零伍仟元整), as the zero run rule asks.
"""

from __future__ import annotations

__all__ = ["MAX_FEN", "amount_words", "format_yuan"]

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")  # inside a group of four digits, lowest first
_GROUPS = ("", "万", "亿")  # groups of four digits, lowest first

# 亿 is the largest group unit the rules name; a larger amount is a typing slip in this program.
MAX_FEN = 10**12 * 100 - 1  # 9999亿9999万9999元9角9分


def amount_words(fen: int) -> str:
    """``3_000_000`` (fen) → ``"人民币叁万元整"``; ``5`` → ``"人民币伍分"``; ``0`` → ``"人民币零元整"``."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"amount in fen must be an int, not {type(fen).__name__}")
    if not 0 <= fen <= MAX_FEN:
        raise ValueError(f"amount out of range for capitals: {fen} fen")
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    if fen == 0:
        return "人民币零元整"
    words = _yuan_words(yuan) + "元" if yuan else ""
    if jiao == 0 and fen_digit == 0:
        return f"人民币{words}整"
    if jiao:
        # 零 after 元 when the 元 digit is 0 (rule 5, written) — never before the first character.
        if yuan and yuan % 10 == 0:
            words += "零"
        words += _DIGITS[jiao] + "角"
    elif yuan:
        words += "零"  # rule 6: 角 is 0 and 分 is not
    if fen_digit:
        words += _DIGITS[fen_digit] + "分"
    return "人民币" + words


def _yuan_words(yuan: int) -> str:
    groups: list[int] = []
    while yuan:
        yuan, group = divmod(yuan, 10_000)
        groups.append(group)
    out = ""
    previous_zero = False  # the group above this one was all zeros
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            previous_zero = bool(out)
            continue
        # Between groups: one 零 when this group starts with zeros, or after an all-zero group.
        if out and (group < 1000 or previous_zero):
            out += "零"
        out += _group_words(group) + _GROUPS[index]
        previous_zero = False
    return out


def _group_words(group: int) -> str:
    out = ""
    zero_pending = False
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out += "零"
            zero_pending = False
        out += _DIGITS[digit] + _PLACES[place]
    return out


def format_yuan(fen: int) -> str:
    """``3_000_000`` → ``"30,000.00"``: yuan in figures with thousands separators, as on forms."""
    sign = "-" if fen < 0 else ""
    yuan, rest = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{rest:02d}"
