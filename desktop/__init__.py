"""Tuoyu (托育监管桌面版): offline supervision of childcare institutions for county health bureaus."""

__version__ = "0.1.0"
APP_NAME = "Tuoyu"
APP_TITLE = "托育监管桌面版"
