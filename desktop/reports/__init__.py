"""Printable forms with ReportLab: one module per form, each taking a plain data object (DTO) built by a
service and writing a PDF. Reports never open a database session (import-linter enforces it)."""
