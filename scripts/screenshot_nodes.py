"""Screenshots of 文件 → 本机与已登记节点: a county before initialising, the init form, the confirmation that shows
a laptop's fingerprint before it is enrolled, the county with its laptop and city enrolled, and a laptop whose
private-key file is damaged.

    .venv/bin/python scripts/screenshot_nodes.py [--out out/screenshots]

Runs Qt offscreen on temporary databases (a county, a laptop and the city), without demo data.
"""

from __future__ import annotations

import sys

from screenshot_kit import shooting

from desktop.domain.enums import NodeKind
from desktop.services.enrolled_nodes import enrol_node, preview_enrolment
from desktop.services.nodes import division_options, export_public_key, init_node
from desktop.services.startup import open_app
from desktop.ui.dialogs.enrol_confirm_dialog import EnrolConfirmDialog
from desktop.ui.dialogs.node_init_dialog import NodeInitDialog
from desktop.ui.dialogs.nodes_dialog import NodesDialog


def main() -> int:
    with shooting("tuoyu-nodes-") as camera:
        county = camera.open_empty()
        laptop, city = (open_app(data_dir=camera.scratch / name, url=None) for name in ("laptop", "city"))
        camera.contexts += [laptop, city]

        camera.shoot_shown(NodesDialog(county), "nodes_dialog_not_initialised")
        form = NodeInitDialog(lambda role: division_options(county, role), replacing=False, name="甘州区卫生健康局")
        form.division_combo.setCurrentIndex(form.division_combo.findData("620702"))
        camera.shoot_shown(form, "node_init_dialog")

        init_node(county, role=NodeKind.COUNTY, name="甘州区卫生健康局", division_code="620702")
        init_node(laptop, role=NodeKind.LAPTOP, name="张三的检查笔记本", division_code="620702")
        init_node(city, role=NodeKind.CITY, name="张掖市卫生健康委员会")
        files = {}
        for name, ctx in (("laptop", laptop), ("city", city)):
            files[name] = camera.scratch / f"{name}.tuoyu-pubkey"
            export_public_key(ctx, files[name])

        confirm = EnrolConfirmDialog(preview_enrolment(county, files["laptop"]), files["laptop"].name)
        confirm.matches_check.setChecked(True)
        camera.shoot_shown(confirm, "node_enrol_confirm")

        enrol_node(county, files["laptop"])
        enrol_node(county, files["city"])
        camera.shoot_shown(NodesDialog(county), "nodes_dialog")

        key_file = laptop.db.data_dir / "keys" / "node-private-key.json"
        key_file.write_text(key_file.read_text()[:100])
        camera.shoot_shown(NodesDialog(laptop), "nodes_dialog_damaged_key")
    return 0


if __name__ == "__main__":
    sys.exit(main())
