"""Dialogs of the Qt face: one module per dialog."""
