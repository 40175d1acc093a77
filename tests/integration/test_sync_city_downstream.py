"""What a city sends down: a checklist template version it issued reaches its county (matched with the county's
own copies of the bundled versions by code and version), and so do its subsidy policy files, kept in the
county's data folder, written again only when their content is new.

The county runs on every engine under test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.domain.enums import NodeKind
from desktop.models import ChecklistTemplateRecord
from desktop.services.checklist_templates import export_template, import_template, list_templates
from desktop.services.subsidy_policies import policy_files
from desktop.services.unit_of_work import read_session
from desktop.sync.policy_files import received_policies_dir
from tests.integration.syncing import GANZHOU, Network


@pytest.fixture
def network(tmp_path: Path, database_url: str | None):
    net = Network(tmp_path)
    net.county = net.node("甘州区卫生健康局", NodeKind.COUNTY, GANZHOU, url=database_url)
    net.city = net.node("张掖市卫生健康委员会", NodeKind.CITY)
    net.enrol(net.county, net.city)
    yield net
    net.close()


def _new_version(city, tmp_path: Path) -> str:
    [stored] = list_templates(city)
    path = tmp_path / "issued.toml"
    export_template(city, stored.code, stored.version, path)
    path.write_text(
        path.read_text(encoding="utf-8").replace(f'version = "{stored.version}"', 'version = "2027.1"', 1),
        encoding="utf-8",
    )
    import_template(city, path)
    return stored.code


def test_a_template_version_and_the_policies_the_city_issues_reach_the_county(network, tmp_path):
    county, city = network.county, network.city
    code = _new_version(city, tmp_path)
    outcome = network.send(city, county)
    assert (outcome.created, outcome.conflicts) == (1, 0)  # the new version; the bundled one matched by key
    with read_session(county.db) as session:
        versions = set(
            session.scalars(
                select(ChecklistTemplateRecord.template_version).where(ChecklistTemplateRecord.code == code)
            )
        )
    assert "2027.1" in versions and len(versions) == 2

    bundled = {path.name: path.read_bytes() for path in policy_files()}
    assert outcome.policies == tuple(sorted(bundled))  # new to the county's data folder
    kept = received_policies_dir(county)
    assert {path.name: path.read_bytes() for path in kept.glob("*.toml")} == bundled

    again = network.send(city, county)
    assert again.created == 0 and again.policies == ()  # nothing new the second time
