"""Make Qt speak and draw Chinese on any machine: translations, locale and the bundled font.

Must run after the QApplication exists and before the first widget is created, or standard
buttons keep their English texts.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop.paths import resources_dir

UI_FONT_FAMILY = "Noto Sans SC"
UI_FONT_POINT_SIZE = 10


def install_chinese(app: QApplication) -> list[str]:
    """Install zh_CN translations and locale, register the bundled fonts; return families loaded."""
    locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(locale)
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalogue in ("qtbase", "qt"):
        translator = QTranslator(app)  # parented to the app, so it lives as long as the app
        if translator.load(locale, catalogue, "_", translations):
            app.installTranslator(translator)
    families = register_bundled_fonts()
    if UI_FONT_FAMILY in families:
        font = QFont(UI_FONT_FAMILY, UI_FONT_POINT_SIZE)
        app.setFont(font)
    return families


def register_bundled_fonts() -> list[str]:
    families: list[str] = []
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return sorted(set(families))
