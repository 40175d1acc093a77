"""Clerks' spreadsheets in and out: reading .xlsx/.xls/.csv safely, the institution register's columns,
cell parsing with Chinese messages, and the template, exports and error copies.

No database access here (the services layer matches, previews and commits), and no Qt.
Modules: ``workbook_reader`` (read_sheet), ``institution_columns``, ``cell_values``,
``institution_sheet`` (parse_institution_sheet), ``institution_workbooks`` (writers), ``errors``.
"""
