"""Issue #27: notes written in the app — the role checked inside the write itself, the catalogue's rules,
author and time, the audit trail, and the rows carried into every later publish (a rebuild too)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from etl.publish import carry_app_rows
from services import catalogue as cat
from services import notes
from services.auth import ANONYMOUS, Grant, Principal
from services.store import clear_caches, get_store_info
from store.db import file_identity

EDITOR = Principal(subject="redaktor-0181", email="redaktor@sodertalje.se", grants=(Grant("redaktör", "0181"),))
READER = Principal(subject="lasare", email="lasare@sodertalje.se", grants=(Grant("läsare"),))
OWNER = Principal(subject="ansvarig-telge", grants=(Grant("åtgärdsansvarig", "Telge Bostäder AB"),))
OTHER_EDITOR = Principal(subject="redaktor-1287", grants=(Grant("redaktör", "1287"),))
ADMIN = Principal(subject="admin", grants=(Grant("administratör"),))
NOTE = notes.Draft("0181", "ENK_TRYGG_OMRADE", 2024, "Ny fritidsgård i Hovsjö öppnade i mars.", "Kommunstyrelsen")


@pytest.fixture
def store(demo_store, tmp_path, monkeypatch):
    """A copy of the demo store of its own, as the app's store (every test here writes)."""
    path = tmp_path / "indicators.sqlite"
    shutil.copyfile(demo_store, path)
    monkeypatch.setenv("INDICATOR_STORE", str(path))
    clear_caches()
    yield path
    clear_caches()


def rows(path, sql: str, params: tuple = ()) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def app_rows(path) -> tuple[int, int]:
    return (rows(path, "SELECT COUNT(*) FROM annotation WHERE uid IS NOT NULL")[0][0],
            rows(path, "SELECT COUNT(*) FROM audit_event")[0][0])


@pytest.mark.parametrize("who", [ANONYMOUS, READER, OWNER, OTHER_EDITOR], ids=["anonym", "läsare",
                                                                             "åtgärdsansvarig", "redaktör-1287"])
def test_a_write_without_the_role_is_refused_and_writes_nothing(store, who):
    before = file_identity(store)
    with pytest.raises(PermissionError, match="Inget har ändrats|inget har ändrats"):
        notes.add_note(who, NOTE)
    assert app_rows(store) == (0, 0)
    assert file_identity(store) == before  # not even a new publish


def test_a_removal_without_the_role_is_refused(store):
    uid = notes.add_note(EDITOR, NOTE)
    for who in (ANONYMOUS, READER, OTHER_EDITOR):
        with pytest.raises(PermissionError):
            notes.remove_note(who, "0181", uid)
    assert rows(store, "SELECT removed_at FROM annotation WHERE uid IS NOT NULL") == [(None,)]
    assert app_rows(store) == (1, 1)


def test_a_redaktor_adds_a_note_with_author_time_and_audit_and_the_app_sees_it(store):
    clear_caches()
    build_before = get_store_info().version_key
    before = cat.annotations("0181", "sodertalje", "ENK_TRYGG_OMRADE")
    uid = notes.add_note(EDITOR, NOTE)
    (row,) = rows(store, "SELECT municipality_id, indicator_id, year, text, source, author_subject, author_email, "
                         "created_at FROM annotation WHERE uid = ?", (uid,))
    assert row[:7] == ("0181", "ENK_TRYGG_OMRADE", 2024, NOTE.text, "Kommunstyrelsen", "redaktor-0181",
                       "redaktor@sodertalje.se")
    assert row[7].startswith("20") and row[7].endswith("+00:00")
    (event,) = rows(store, "SELECT subject, email, action, municipality_id, target, details FROM audit_event")
    assert event[:5] == ("redaktor-0181", "redaktor@sodertalje.se", "note_added", "0181", "ENK_TRYGG_OMRADE")
    assert uid in event[5] and "Hovsjö" in event[5]
    # The running app: a new build id, so every cached query reads the new store at once.
    assert get_store_info().version_key != build_before
    after = cat.annotations("0181", "sodertalje", "ENK_TRYGG_OMRADE")
    assert len(after) == len(before) + 1 and NOTE.text in set(after["text"])
    listed = notes.app_notes("0181")
    assert list(listed["uid"]) == [uid] and listed["author_email"].iloc[0] == "redaktor@sodertalje.se"
    trail = notes.audit_trail(EDITOR)
    assert list(trail["action"]) == ["note_added"] and trail["who"].iloc[0].startswith("redaktor@sodertalje.se")
    assert notes.audit_trail(OTHER_EDITOR).empty  # another municipality's redaktör sees none of it


def test_a_redaktor_removes_a_note_and_both_writes_are_audited(store):
    uid = notes.add_note(EDITOR, NOTE)
    notes.remove_note(EDITOR, "0181", uid)
    assert NOTE.text not in set(cat.annotations("0181", "sodertalje", "ENK_TRYGG_OMRADE")["text"])
    assert notes.app_notes("0181").empty
    (removed,) = rows(store, "SELECT removed_at, removed_by FROM annotation WHERE uid IS NOT NULL")
    assert removed[0] and removed[1] == "redaktor-0181"
    assert [a for (a,) in rows(store, "SELECT action FROM audit_event ORDER BY id")] == ["note_added", "note_removed"]
    with pytest.raises(notes.NoteError, match="finns inte"):
        notes.remove_note(EDITOR, "0181", uid)  # already removed: refused, nothing more recorded
    assert app_rows(store) == (1, 2)


def test_an_administrator_writes_for_any_municipality(store):
    notes.add_note(ADMIN, notes.Draft("1287", notes.indicator_choices("1287")["indicator_id"].iloc[0], 2023,
                                      "Ny mätmetod i enkäten."))
    assert app_rows(store) == (1, 1)
    assert set(notes.editable_municipalities(ADMIN)) == {s.municipality_id for s in cat.strategies()}


@pytest.mark.parametrize(("draft", "message"), [
    (notes.Draft("0181", "ENK_TRYGG_OMRADE", 1989, "Text"), "mellan 1990 och 2100"),
    (notes.Draft("0181", "ENK_TRYGG_OMRADE", 2101, "Text"), "mellan 1990 och 2100"),
    (notes.Draft("0181", "ENK_TRYGG_OMRADE", 2024, "   "), "Skriv en text"),
    (notes.Draft("0181", "ENK_TRYGG_OMRADE", 2024, "x" * 201), "201 tecken; högst 200"),
    (notes.Draft("0181", "ENK_TRYGG_OMRADE", 2024, "<b>fet</b>"), "HTML eller markdown"),
    (notes.Draft("0181", "ENK_TRYGG_OMRADE", 2024, "se [här](http://x)"), "HTML eller markdown"),
    (notes.Draft("0181", "ENK_TRYGG_OMRADE", 2024, "ok", "`kod`"), "Källan får inte"),
    (notes.Draft("0181", "ENK_TRYGG_OMRADE", 2024, "ok\x07"), "styrtecken"),
    (notes.Draft("0181", "NO_SUCH_INDICATOR", 2024, "Text"), "finns inte i kommunens strategi"),
])
def test_a_bad_note_gets_a_swedish_message_and_nothing_is_written(store, draft, message):
    with pytest.raises(notes.NoteError, match=message):
        notes.add_note(EDITOR, draft)
    assert app_rows(store) == (0, 0)


def test_line_breaks_in_a_note_become_spaces():
    assert notes.Draft("0181", "X", 2024, " två\nrader ").cleaned().text == "två rader"


def test_the_app_rows_are_carried_into_a_rebuilt_store_and_never_duplicated_or_revived(store, demo_store, tmp_path):
    kept = notes.add_note(EDITOR, NOTE)
    gone = notes.add_note(EDITOR, notes.Draft("0181", "ENK_TRYGG_OMRADE", 2020, "Borttagen sedan."))
    notes.remove_note(EDITOR, "0181", gone)
    # Later publishes (each a copy of the live store) carry nothing twice and do not bring the removed back.
    notes.add_note(EDITOR, notes.Draft("0181", "ENK_TRYGG_OMRADE", 2021, "En tredje."))
    assert app_rows(store) == (3, 4)
    assert {u for (u,) in rows(store, "SELECT uid FROM annotation WHERE uid IS NOT NULL AND removed_at IS NULL")} \
        >= {kept}
    # A rebuild writes a store from scratch: the notes and the audit trail come along.
    rebuilt = tmp_path / "rebuilt.sqlite"
    shutil.copyfile(demo_store, rebuilt)
    assert carry_app_rows(rebuilt, store) == (3, 4)
    assert rows(rebuilt, "SELECT uid, removed_at IS NOT NULL FROM annotation WHERE uid IS NOT NULL ORDER BY id") \
        == rows(store, "SELECT uid, removed_at IS NOT NULL FROM annotation WHERE uid IS NOT NULL ORDER BY id")
    assert carry_app_rows(rebuilt, store) == (0, 0)  # by uid: once
