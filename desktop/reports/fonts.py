"""The bundled Chinese fonts, registered with ReportLab once, and the check that a text can be drawn with them.

ReportLab embeds only TrueType-outline fonts (resources/fonts/README.md, scripts/build_fonts.py) and subsets them
automatically, so a printed PDF carries just the glyphs it uses and looks the same on any PC, Chinese fonts
installed or not. A character the font lacks is drawn as the font's empty .notdef box and ReportLab says nothing:
``undrawable`` finds such characters before printing so that the user is told instead of seeing a hole in a name.

GB/T 9704 asks for 仿宋 (body) and 小标宋 (title); the fonts of those names are commercial. The body uses Noto Serif SC
(a 宋体-style serif, OFL, converted to TrueType by scripts/build_serif_font.py) and titles Noto Sans SC Bold (黑体-like;
no bold OFL serif is bundled). Tables may use Noto Sans SC Regular.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from reportlab.lib import textsplit
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

from desktop.paths import resources_dir

BODY_FONT = "TuoyuSerif"  # stands in for 仿宋 / 宋体
TITLE_FONT = "TuoyuSans-Bold"  # stands in for 小标宋 / 黑体
SANS_FONT = "TuoyuSans"  # tables and small print

FONT_FILES = {
    BODY_FONT: "NotoSerifSC-Regular.ttf",
    TITLE_FONT: "NotoSansSC-Bold.ttf",
    SANS_FONT: "NotoSansSC-Regular.ttf",
}

# Chinese typesetting never starts a line with these (标点避头). ReportLab 5.1's CJK wrapping knows 、。）】〕 but
# not the full-width comma, semicolon, colon, marks and closing quotes, and would start a line with "；".
NEVER_START_A_LINE = "，；：！？》〉”’"


@cache
def register_fonts() -> None:
    """Register the bundled fonts with ReportLab (once per process; the files are read lazily by subsetting)."""
    fonts_dir = resources_dir() / "fonts"
    for name, file_name in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(fonts_dir / file_name)))
    # <b> in a Paragraph of the body font switches to the bold file.
    addMapping(BODY_FONT, 0, 0, BODY_FONT)
    addMapping(BODY_FONT, 1, 0, TITLE_FONT)
    addMapping(BODY_FONT, 0, 1, BODY_FONT)
    addMapping(BODY_FONT, 1, 1, TITLE_FONT)
    addMapping(SANS_FONT, 0, 0, SANS_FONT)
    addMapping(SANS_FONT, 1, 0, TITLE_FONT)
    addMapping(SANS_FONT, 0, 1, SANS_FONT)
    addMapping(SANS_FONT, 1, 1, TITLE_FONT)
    # Read at each line break by textsplit.wordSplit (one-style paragraphs) and paragraph.cjkFragSplit (mixed
    # styles); adding to them is process-wide and harmless.
    for module in (textsplit, paragraph):
        module.ALL_CANNOT_START += "".join(char for char in NEVER_START_A_LINE if char not in module.ALL_CANNOT_START)


def _drawn_without_glyph(char: str) -> bool:
    """Layout characters (spaces, line breaks, joiners) need no glyph of their own."""
    return unicodedata.category(char) in {"Zs", "Zl", "Zp", "Cc", "Cf"}


PRINTED_FONTS = (BODY_FONT, TITLE_FONT)


def undrawable(text: str, font_names: tuple[str, ...] = PRINTED_FONTS) -> list[str]:
    """The distinct characters of ``text`` that any of the fonts cannot draw, in order of first appearance.

    A form prints the same data in its body and its title faces, so the default checks both.
    """
    register_fonts()
    cmaps = [pdfmetrics.getFont(name).face.charToGlyph for name in font_names]
    missing: dict[str, None] = {}
    for char in text:
        if any(ord(char) not in glyphs for glyphs in cmaps) and not _drawn_without_glyph(char):
            missing[char] = None
    return list(missing)


def undrawable_in(texts: list[str] | tuple[str, ...], font_names: tuple[str, ...] = PRINTED_FONTS) -> list[str]:
    """``undrawable`` over several texts at once."""
    return undrawable("".join(texts), font_names)
