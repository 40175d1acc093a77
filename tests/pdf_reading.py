"""Reading generated PDFs back in tests: their text and the fonts they embed (pypdf)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

SUBSET_NAME = re.compile(r"^/?[A-Z]{6}\+")


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    """The text of every page, lines joined, so wrapped names can be found with ``squeezed``."""
    return "\n".join(page_texts(pdf))


def squeezed(text: str) -> str:
    """Text without whitespace and line breaks: a wrapped name reads back whole."""
    return re.sub(r"\s+", "", text)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Each font's BaseFont name → whether its outlines are embedded as TrueType (FontFile2)."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        for ref in (font_dict or {}).values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def all_fonts_embedded_subsets(pdf: bytes) -> bool:
    fonts = fonts_of(pdf)
    return bool(fonts) and all(embedded and SUBSET_NAME.match(name) for name, embedded in fonts.items())
