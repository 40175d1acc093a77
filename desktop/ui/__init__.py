"""The Qt face of Tuoyu. The only package that imports PySide6 (DESIGN.md §1)."""
