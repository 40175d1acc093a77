"""Sync between installations (docs/sync.md): what travels to whom, export, import with conflicts, receipts.

Built on the bundle container (desktop/services/sync_bundle_files.py, docs/bundle-format.md) and the nodes and
their keys (desktop/services/nodes.py, enrolled_nodes.py, docs/nodes-and-keys.md). The GUI and ``tuoyu sync``
call ``export.export_bundle``, ``importing.import_bundle``, ``reconciliation.sync_status`` and the functions of
``conflicts``; all return plain dataclasses.
"""
