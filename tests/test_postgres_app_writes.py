"""Issue #27 on a real PostgreSQL server (started by the test): every write made in the app — a note, a
target, an action report and its approval, a survey upload and its undo — goes through the store's SQLite
working copy and reaches the server, where the app reads it; a reader's write is refused and the server's
store is not republished."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text

from etl.actions_import import import_actions
from services import action_reports as ar
from services import catalogue as cat
from services import notes, targets, uploads
from services.store import clear_caches
from store import files, pg
from store.db import read_only_engine
from tests.pg_server import cluster
from tests.test_action_reports import DEMO_ACTIONS, OWNER
from tests.test_targets import EDITOR, READER, VALUE
from tests.test_uploads import survey

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
NOTE = notes.Draft("0181", "ENK_TRYGG_OMRADE", 2024, "Ny fritidsgård i Hovsjö öppnade i mars.", "Kommunstyrelsen")


@pytest.fixture
def pg_store(demo_store, tmp_path, monkeypatch):
    """A cluster of the test's own holding the demo store (with the DEMO action follow-up), published from
    its working copy under tmp_path, and the app pointed at the server."""
    monkeypatch.setattr(files, "PROJECT_ROOT", tmp_path)  # etl.publish.working_copy puts the copy there
    with cluster() as url:
        from etl.publish import working_copy

        copy = working_copy(url)
        copy.parent.mkdir(parents=True)
        shutil.copyfile(demo_store, copy)
        import_actions(copy, DEMO_ACTIONS)
        pg.publish(copy, url)
        monkeypatch.setenv("INDICATOR_STORE", url)
        clear_caches()
        try:
            yield url, copy
        finally:
            clear_caches()


def server(url: str, sql: str, **params) -> list[tuple]:
    engine = read_only_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def build_id(url: str) -> str:
    return server(url, "SELECT value FROM meta WHERE key = 'build_id'")[0][0]


def test_every_app_write_reaches_the_server_and_the_app_reads_it_there(pg_store):
    url, copy = pg_store
    first = build_id(url)
    with pytest.raises(PermissionError):
        notes.add_note(READER, NOTE)
    assert build_id(url) == first and server(url, "SELECT COUNT(*) FROM audit_event") == [(0,)]

    uid = notes.add_note(EDITOR, NOTE)
    assert server(url, "SELECT text, author_subject FROM annotation WHERE uid = :u", u=uid) == \
        [(NOTE.text, EDITOR.subject)]
    clear_caches()
    assert NOTE.text in set(cat.annotations("0181", "sodertalje", NOTE.indicator_id)["text"])

    targets.set_target(EDITOR, VALUE)
    clear_caches()
    assert targets.current("0181", VALUE.goal_id, VALUE.indicator_id)["target_value"] == VALUE.value

    action = ar.actions_for(OWNER).iloc[0]
    report = ar.report(OWNER, ar.Draft(action_id=action["action_id"], year=2025, status="pågår",
                                       comment="Trygghetsvandring med de boende."))
    ar.approve(EDITOR, report)
    clear_caches()
    shown = cat.action_follow_up(action["focus_area_id"])
    assert "Trygghetsvandring med de boende." in set(shown[shown["origin"] == "app"]["comment"])

    data, exp = survey(copy)
    uploads.publish(EDITOR, "0181", uploads.preview(EDITOR, "0181", "enkat.csv", data))
    latest = ("SELECT value FROM observation WHERE indicator_id = 'ENK_TRYGG_OMRADE' AND area_id = '0181' "
              "AND year = :y AND gender = 'T' AND status = 'ok'")
    assert server(url, latest, y=exp["year"])[0][0] == pytest.approx(exp["new"])
    uploads.undo_last(EDITOR, "0181")
    assert server(url, latest, y=exp["year"])[0][0] == pytest.approx(exp["old"])
    # The undo kept what the app wrote after the version it went back to (carried by uid).
    assert server(url, "SELECT COUNT(*) FROM app_target") == [(1,)]
    assert server(url, "SELECT COUNT(*) FROM annotation WHERE uid IS NOT NULL") == [(1,)]

    actions = [a for (a,) in server(url, "SELECT action FROM audit_event ORDER BY at, id")]
    assert actions == ["note_added", "target_set", "action_reported", "action_report_approved", "survey_uploaded",
                       "publication_undone"]
    assert build_id(url) != first
