"""The Sources and lines page in Chromium: delete asks in a dialog, says what was done, and undoes.

AppTest cannot press a button inside ``st.dialog`` (it runs as a fragment), so the
confirmation and the undo are driven here, in a real browser, against a private app.
"""

from __future__ import annotations

import json
import tempfile

import pytest

from geo import schema as S
from geo.claims.store import open_store
from geo.io import line_registry as R
from geo.io import read_vector, save_import
from tests.support.browser_util import REPO, running_app
from tests.support.e2e_util import EXCEPTION_BOX, open_offline, wait_idle, warm_up

pytestmark = pytest.mark.browser
NEW = {S.SOURCE_ID: "wire-1", S.SOURCE_PUBLISHER: "Wire", S.SOURCE_KIND: "news", S.SOURCE_URL: "https://example.org/w"}
LINE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Alpha", "date": "2015-01-20"},
            "geometry": {"type": "LineString", "coordinates": [[37.5, 48.0], [37.8, 48.2]]},
        }
    ],
}


@pytest.fixture(scope="module")
def registry_app(chromium):
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="contested-registry-") as data_dir:
        with open_store(f"{data_dir}/claims.sqlite") as s:
            s.add_sources([NEW], user="setup")
        (line_id,) = save_import(read_vector(json.dumps(LINE).encode(), "a.geojson"), {}, data_dir)
        with running_app(env={"CONTESTED_DATA_DIR": data_dir}) as url:
            warm_up(chromium, url)
            yield url, data_dir, line_id


def _choose(page, label: str, text: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    wait_idle(page)


def _confirm_in_dialog(page, label: str) -> None:
    page.get_by_role("button", name=label).first.click()
    dialog = page.locator('[data-testid="stDialog"]')
    dialog.wait_for(timeout=60_000)
    dialog.get_by_role("button", name=label).click()
    dialog.wait_for(state="detached", timeout=60_000)
    wait_idle(page)


def test_delete_a_source_confirm_then_undo(chromium, registry_app):
    url, data_dir, _ = registry_app
    with open_offline(chromium, f"{url}/sources-lines") as op:
        page = op.page
        wait_idle(page)
        _choose(page, "Source to edit", "wire-1")
        _confirm_in_dialog(page, "Delete source")
        page.get_by_text("Deleted source wire-1").wait_for(timeout=60_000)
        with open_store(f"{data_dir}/claims.sqlite") as s:
            assert s.get_source("wire-1").deleted
        page.get_by_role("button", name="Undo delete").click()
        page.get_by_text("Restored source wire-1").wait_for(timeout=60_000)
        with open_store(f"{data_dir}/claims.sqlite") as s:
            assert not s.get_source("wire-1").deleted
            assert [a for a, e in zip(s.audit_log()["action"], s.audit_log()["entity_id"]) if e == "wire-1"] == [
                "insert",
                "delete",
                "restore",
            ]
        assert page.locator(EXCEPTION_BOX).count() == 0
        assert not op.blocked and not op.errors, (op.blocked[:3], op.errors[:3])


def test_delete_a_line_confirm_then_undo(chromium, registry_app):
    url, data_dir, line_id = registry_app
    with open_offline(chromium, f"{url}/sources-lines") as op:
        page = op.page
        wait_idle(page)
        page.get_by_role("tab", name="Imported and drawn lines").click()
        _choose(page, "Line", "Alpha")
        _confirm_in_dialog(page, "Delete line")
        page.get_by_text(f"Deleted line {line_id}").wait_for(timeout=60_000)
        assert line_id not in set(R.list_lines(data_dir)[S.LINE_ID])
        page.get_by_role("button", name="Undo delete").click()
        page.get_by_text(f"Restored line {line_id}").wait_for(timeout=60_000)
        assert line_id in set(R.list_lines(data_dir)[S.LINE_ID])
        assert [h["action"] for h in R.line_history(line_id, data_dir)] == ["delete", "restore"]
        assert page.locator(EXCEPTION_BOX).count() == 0
