"""Build the bundled serif font resources/fonts/NotoSerifSC-Regular.ttf (run once; the output is committed).

Why: GB/T 9704 sets official documents in 仿宋/宋体, serif faces. Noto Serif SC (OFL-1.1) is the freely licensed
宋体-style face, but it ships with CFF outlines (.otf), which ReportLab cannot embed ("postscript outlines are not
supported"). This script converts its cubic CFF outlines to quadratic TrueType (glyf) ones with fontTools' cu2qu,
the way fontTools' ``Snippets/otf2ttf.py`` does. It takes about a minute and 400 MB of memory.

The OTF comes from the OFL wheel ``pylopdf-fonts-zh-cn`` (checked by sha256); its licence is the same SIL OFL 1.1
as resources/fonts/OFL.txt, under the same copyright (Adobe, Reserved Font Name "Source").

Usage (fontTools is a build-time tool only, never a runtime dependency):

    .venv/bin/pip install fonttools
    .venv/bin/python scripts/build_serif_font.py
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

PACKAGE = "pylopdf-fonts-zh-cn==0.1.1"
WHEEL_SHA256 = "e2661ef3790cbe0f0f6aa5338b6859b7cd288ee75bc88cd4239c62cd025d4fb3"
SOURCE = "pylopdf_fonts_zh_cn/NotoSerifSC-Regular.otf"
OUT = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "NotoSerifSC-Regular.ttf"
MAX_ERROR = 1.0  # font units (of 1000 per em): invisible at any print size


def download_wheel(dest: Path) -> Path:
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet"]
    subprocess.run([*pip, "--dest", str(dest), PACKAGE], check=True)
    (wheel,) = dest.glob("*.whl")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"unexpected sha256 for {wheel.name}: {digest}")
    return wheel


def otf_to_ttf(font: TTFont) -> None:
    """Replace the CFF table by a glyf table of quadratic outlines (fontTools Snippets/otf2ttf.py)."""
    assert font.sfntVersion == "OTTO" and "CFF " in font
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    quadratic = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        quadratic[name] = pen.glyph()

    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = quadratic
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)

    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
    ):
        setattr(maxp, field, 0)
    maxp.maxComponentElements = max(len(getattr(g, "components", [])) for g in glyf.glyphs.values())
    maxp.compile(font)

    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\000\001\000\000"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(download_wheel(Path(tmp))) as wheel:
        source = wheel.read(SOURCE)
    font = TTFont(io.BytesIO(source), recalcTimestamp=False)
    print("converting CFF outlines to TrueType ...", flush=True)
    otf_to_ttf(font)
    assert "glyf" in font and "CFF " not in font
    assert font["name"].getDebugName(1) == "Noto Serif SC", font["name"].getDebugName(1)
    font.save(OUT)
    data = OUT.read_bytes()
    print(f"{OUT.name}: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
