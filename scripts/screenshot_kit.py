"""What every screenshot script needs, so each script holds only its own shots.

    from screenshot_kit import TODAY, shooting

    with shooting("tuoyu-children-") as camera:
        ctx = camera.open_demo()
        ...
        camera.shoot(panel, "children_tab")      # settles the event loop, saves out/children_tab.png

`shooting` reads `--out` (default out/screenshots; a script may pass its own parser for more options),
starts Qt offscreen (unless QT_QPA_PLATFORM says otherwise) with the Chinese fonts and translations,
and gives a scratch folder that is deleted afterwards; at the end it closes the databases it opened
and prints the path of every screenshot taken. Scripts import it as `screenshot_kit` because Python
puts the script's own folder (scripts/) first on the import path.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from desktop.demo.zhangye import Scale
from desktop.services.demo_service import load_demo
from desktop.services.startup import AppContext, open_app
from desktop.ui.chinese import install_chinese

TODAY = date(2026, 11, 23)
"""The demo's day: every script shows the county as it is on this date."""


def argument_parser() -> argparse.ArgumentParser:
    """The options every script takes (--out); add a script's own before passing it to `shooting`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("out/screenshots"))
    return parser


@dataclass
class Camera:
    """The running application, where screenshots go, and a scratch folder for databases and files."""

    app: QApplication
    args: argparse.Namespace
    scratch: Path
    shots: list[Path] = field(default_factory=list)
    contexts: list[AppContext] = field(default_factory=list)

    def settle(self) -> None:
        """Let Qt lay out and paint what was just shown or changed."""
        for _ in range(10):
            self.app.processEvents()

    def wait_until(self, done: Callable[[], bool]) -> None:
        """Run the event loop until background work (an import check, a roster) has finished."""
        while not done():
            self.settle()

    def shoot(self, widget: QWidget, name: str) -> Path:
        """Save the widget as `<out>/<name>.png` once the event loop has settled."""
        self.settle()
        path = self.args.out / f"{name}.png"
        widget.grab().save(str(path))
        self.shots.append(path)
        return path

    def shoot_shown(self, widget: QWidget, name: str) -> Path:
        """Show a dialog, save it, and close it again."""
        widget.show()
        path = self.shoot(widget, name)
        widget.close()
        return path

    def open_empty(self) -> AppContext:
        """A fresh database in the scratch folder, closed when the shooting ends."""
        ctx = open_app(data_dir=self.scratch / "data", url=None)
        self.contexts.append(ctx)
        return ctx

    def open_demo(self) -> AppContext:
        """A fresh database in the scratch folder with the county demo loaded as of TODAY."""
        ctx = self.open_empty()
        load_demo(ctx, scale=Scale.COUNTY, seed=7, today=TODAY)
        return ctx


@contextmanager
def shooting(scratch_prefix: str, parser: argparse.ArgumentParser | None = None) -> Iterator[Camera]:
    """Parse the arguments, start Qt with Chinese, and yield a Camera; print the screenshots at the end."""
    args = (parser or argument_parser()).parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the QApplication is made
    app = QApplication(sys.argv)
    install_chinese(app)
    with tempfile.TemporaryDirectory(prefix=scratch_prefix) as scratch:
        camera = Camera(app, args, Path(scratch))
        try:
            yield camera
        finally:
            for ctx in camera.contexts:
                ctx.close()
    for path in camera.shots:
        print(path)
