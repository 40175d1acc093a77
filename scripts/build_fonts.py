"""Build the bundled Chinese fonts in resources/fonts/ (run once; the output is committed).

Why this script exists:

* ReportLab can only embed fonts with TrueType (glyf) outlines. The common Noto
  CJK / Noto Sans SC .otf/.ttc files use CFF outlines and fail with
  "postscript outlines are not supported".
* The Noto Sans SC *variable* TTF (glyf outlines) in the OFL-licensed wheel
  ``justmytype-intl-cjk`` works, but its default instance is Thin (wght=100),
  so Qt and ReportLab would both draw hairline text.

So we download that wheel, cut static Regular (wght=400) and Bold (wght=700)
instances out of it with fontTools' ``varLib.instancer``, and copy its OFL.txt.

Usage (fontTools is a build-time tool only, never a runtime dependency):

    .venv/bin/pip install fonttools
    .venv/bin/python scripts/build_fonts.py
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

PACKAGE = "justmytype-intl-cjk==0.1.0"
WHEEL_SHA256 = "06d9665542bfcad373716bb80583aa2d9bb2086a054fe11f706b9bd41e03f256"
SRC_DIR = "justmytype_intl_cjk/fonts/ofl/notosanssc/"
VARIABLE_FONT = SRC_DIR + "NotoSansSC[wght].ttf"
LICENCE = SRC_DIR + "OFL.txt"
INSTANCES = {"NotoSansSC-Regular.ttf": 400, "NotoSansSC-Bold.ttf": 700}
FAMILY = "Noto Sans SC"

OUT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"


def download_wheel(dest: Path) -> Path:
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet"]
    subprocess.run([*pip, "--dest", str(dest), PACKAGE], check=True)
    (wheel,) = dest.glob("*.whl")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"unexpected sha256 for {wheel.name}: {digest}")
    return wheel


def make_instance(variable_font: bytes, weight: int, out_path: Path) -> None:
    # recalcTimestamp=False keeps head.modified from the source, so reruns are byte-identical.
    font = TTFont(io.BytesIO(variable_font), recalcTimestamp=False)
    static = instancer.instantiateVariableFont(font, {"wght": weight}, updateFontNames=True)
    static["name"].removeNames(nameID=25)  # variations PostScript prefix: meaningless in a static font

    names = static["name"]
    style = "Bold" if weight == 700 else "Regular"
    assert "glyf" in static and "CFF " not in static and "fvar" not in static
    assert names.getDebugName(1) == FAMILY and names.getDebugName(2) == style, names.getDebugName(4)
    assert static["OS/2"].usWeightClass == weight
    static.save(out_path)


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(download_wheel(Path(tmp))) as wheel:
        variable_font = wheel.read(VARIABLE_FONT)
        (OUT_DIR / "OFL.txt").write_bytes(wheel.read(LICENCE))

    for filename, weight in INSTANCES.items():
        print(f"instancing wght={weight} -> {filename} ...", flush=True)
        make_instance(variable_font, weight, OUT_DIR / filename)

    for filename in [*INSTANCES, "OFL.txt"]:
        data = (OUT_DIR / filename).read_bytes()
        print(f"{filename:24} {len(data):>10,} bytes  sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
