"""Issue #27: a survey file uploaded in the app — the role checked inside every write, a preview that writes
nothing, the command line's import on publish, the audit of who/when/what, an undo that restores the
previous values, and the import's Swedish refusals for hostile files."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3

import pandas as pd
import pytest

from etl.survey_import import MAX_BYTES, import_survey
from services import uploads
from services.auth import ANONYMOUS, Grant, Principal
from services.store import clear_caches
from store.db import file_identity

EDITOR = Principal(subject="redaktor-0181", email="redaktor@sodertalje.se", grants=(Grant("redaktör", "0181"),))
READER = Principal(subject="lasare", email="lasare@sodertalje.se", grants=(Grant("läsare"),))
OWNER = Principal(subject="ansvarig-telge", grants=(Grant("åtgärdsansvarig", "Telge Bostäder AB"),))
OTHER_EDITOR = Principal(subject="redaktor-1287", grants=(Grant("redaktör", "1287"),))
ADMIN = Principal(subject="admin", email="admin@example.se", grants=(Grant("administratör"),))
IND = "ENK_TRYGG_OMRADE"
HEADER = "indikator;omrade;ar;kon;varde;antal_svarande"


@pytest.fixture
def store(demo_store, tmp_path, monkeypatch):
    path = tmp_path / "indicators.sqlite"
    shutil.copyfile(demo_store, path)
    monkeypatch.setenv("INDICATOR_STORE", str(path))
    clear_caches()
    yield path
    clear_caches()


def one(path, sql: str, params: tuple = ()):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute(sql, params).fetchone()
    finally:
        con.close()
    return None if row is None else row[0]


def latest(path) -> tuple[int, float, int]:
    """The latest published year of the indicator for Södertälje in total: (year, value, respondents)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT year, value, n FROM observation WHERE indicator_id = ? AND area_id = '0181' "
                           "AND gender = 'T' AND status = 'ok' ORDER BY year DESC LIMIT 1", (IND,)).fetchone()
    finally:
        con.close()


def value(path, year: int, area: str = "0181"):
    return one(path, "SELECT value FROM observation WHERE indicator_id = ? AND area_id = ? AND year = ? "
                     "AND gender = 'T' AND status = 'ok'", (IND, area, year))


def district(path) -> str:
    return one(path, "SELECT id FROM area WHERE parent_id = '0181' AND kind = 'district' ORDER BY id")


def sv(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def survey(path) -> tuple[bytes, dict]:
    """A file for Södertälje: the latest year revised (+3.0), the next year new, a district cell with too few
    respondents for the next year (hidden)."""
    year, val, n = latest(path)
    dist = district(path)
    lines = [HEADER, f"{IND};0181;{year};T;{sv(val + 3)};{int(n)}", f"{IND};0181;{year + 1};T;{sv(val)};{int(n)}",
             f"{IND};{dist};{year + 1};T;{sv(val)};3"]
    return ("\n".join(lines) + "\n").encode("utf-8"), {"year": year, "old": val, "new": round(val + 3, 1),
                                                        "district": dist}


@pytest.mark.parametrize("who", [ANONYMOUS, READER, OWNER, OTHER_EDITOR],
                         ids=["anonym", "läsare", "åtgärdsansvarig", "redaktör-1287"])
def test_without_the_role_preview_publish_and_undo_are_refused_and_nothing_changes(store, who):
    data, _ = survey(store)
    before = file_identity(store)
    for call in (lambda: uploads.preview(who, "0181", "enkat.csv", data),
                 lambda: uploads.publish(who, "0181", data, file_name="enkat.csv"),
                 lambda: uploads.undo_last(who, "0181")):
        with pytest.raises(PermissionError, match="Inget har ändrats|inget har ändrats"):
            call()
    assert file_identity(store) == before
    assert not uploads.versions_dir(store).exists()


def test_a_crafted_preview_of_an_editor_is_refused_to_a_reader(store):
    data, _ = survey(store)
    prepared = uploads.preview(EDITOR, "0181", "enkat.csv", data)
    before = file_identity(store)
    with pytest.raises(PermissionError):
        uploads.publish(READER, "0181", prepared)
    assert file_identity(store) == before


def test_the_preview_says_what_changes_and_what_is_hidden_and_writes_nothing(store):
    data, exp = survey(store)
    before = file_identity(store)
    p = uploads.preview(EDITOR, "0181", "enkat.csv", data)
    assert file_identity(store) == before
    assert p.ok and p.rows == 3
    assert p.counts["new"] == 1 and p.counts["revised"] == 1 and p.counts["withdrawn"] == 0
    revised = p.changes[p.changes["change"] == "revised"].iloc[0]
    assert (revised["area_id"], revised["year"]) == ("0181", exp["year"])
    assert revised["old_value"] == pytest.approx(exp["old"]) and revised["new_value"] == pytest.approx(exp["new"])
    hidden = p.hidden[p.hidden["from_file"]]
    assert list(hidden["area_id"]) == [exp["district"]] and "value" not in p.hidden
    assert p.sha256 == hashlib.sha256(data).hexdigest()


def test_publish_then_undo_restores_the_previous_value_and_the_trail_lists_both(store):
    data, exp = survey(store)
    old_build = one(store, "SELECT value FROM meta WHERE key = 'build_id'")
    done = uploads.publish(EDITOR, "0181", uploads.preview(EDITOR, "0181", "enkat.csv", data))
    assert done.rows == 3 and done.build_id != old_build and done.previous_build_id == old_build
    assert value(store, exp["year"]) == pytest.approx(exp["new"])
    assert value(store, exp["year"] + 1) == pytest.approx(exp["old"])
    assert value(store, exp["year"] + 1, exp["district"]) is None  # hidden: too few respondents
    run = json.loads(one(store, "SELECT summary FROM build_run ORDER BY id DESC LIMIT 1"))["app"]
    assert (run["subject"], run["email"], run["file"], run["rows"]) == (EDITOR.subject, EDITOR.email, "enkat.csv", 3)
    assert run["sha256"] == hashlib.sha256(data).hexdigest()
    assert uploads.last_upload("0181")["new_build_id"] == done.build_id

    undone = uploads.undo_last(EDITOR, "0181")
    assert undone.build_id not in (done.build_id, old_build) and undone.previous_build_id == done.build_id
    assert value(store, exp["year"]) == pytest.approx(exp["old"])
    assert value(store, exp["year"] + 1) is None
    trail = uploads.history(EDITOR)
    assert list(trail["action"]) == [uploads.UNDO, uploads.UPLOAD]
    assert trail["undid_build_id"].iloc[0] == done.build_id
    assert set(trail["who"]) == {f"{EDITOR.email} ({EDITOR.subject})"}
    command = one(store, "SELECT command FROM publication ORDER BY id DESC LIMIT 1")
    assert "ångrade uppladdningen av enkat.csv" in command and done.build_id[:12] in command
    assert uploads.history(OTHER_EDITOR).empty
    # Both are audit events too (kept through later publishes and rebuilds), with who, file and checksum.
    with sqlite3.connect(store) as con:
        events = con.execute("SELECT action, subject, email, municipality_id, target, details FROM audit_event "
                             "WHERE action IN (?, ?) ORDER BY at, action", (uploads.UPLOAD, uploads.UNDO)).fetchall()
    assert [e[:5] for e in events] == [(uploads.UPLOAD, EDITOR.subject, EDITOR.email, "0181", "enkat.csv"),
                                       (uploads.UNDO, EDITOR.subject, EDITOR.email, "0181", "enkat.csv")]
    assert json.loads(events[0][5])["sha256"] == hashlib.sha256(data).hexdigest()
    assert json.loads(events[0][5])["rows"] == 3
    assert json.loads(events[1][5])["undid_build_id"] == done.build_id
    with pytest.raises(uploads.UploadError, match="inget att ångra"):
        uploads.undo_last(EDITOR, "0181")


def test_undo_refuses_when_a_command_line_import_came_after_the_upload(store, tmp_path):
    data, exp = survey(store)
    uploads.publish(ADMIN, "0181", data, file_name="enkat.csv")
    later = tmp_path / "senare.csv"
    later.write_text(f"{HEADER}\n{IND};0181;{exp['year']};T;{sv(exp['old'] - 2)};{int(latest(store)[2])}\n",
                     encoding="utf-8")
    import_survey(store, later)
    before = file_identity(store)
    with pytest.raises(uploads.UploadError, match="ingen uppladdning i appen"):
        uploads.undo_last(EDITOR, "0181")
    assert file_identity(store) == before


def test_an_excel_file_previews_like_the_csv(store):
    data, _ = survey(store)
    csv_preview = uploads.preview(EDITOR, "0181", "enkat.csv", data)
    frame = pd.read_csv(io.BytesIO(data), sep=";", dtype=str)
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    xlsx = uploads.preview(EDITOR, "0181", "enkat.xlsx", buf.getvalue())
    assert xlsx.ok and xlsx.counts == csv_preview.counts
    pd.testing.assert_frame_equal(xlsx.changes, csv_preview.changes)


HOSTILE = {
    "fel kolumner": (lambda y: f"indikator;plats;ar;kon;varde;antal_svarande\n{IND};0181;{y};T;50;300\n",
                     "Kolumnen ”omrade” saknas"),
    "inget tal": (lambda y: f"{HEADER}\n{IND};0181;{y};T;femtio;300\n", "Rad 2: värdet ”femtio” är inget tal"),
    "formel": (lambda y: f'{HEADER}\n"=HYPERLINK(""http://x"")";0181;{y};T;50;300\n',
               "Rad 2: okänd indikator ”=HYPERLINK("),
    "dubbel rubrik": (lambda y: f"{HEADER};varde\n{IND};0181;{y};T;50;300;50\n",
                      "Kolumnen ”varde” finns flera gånger i rubrikraden."),
    "fel kommun": (lambda y: f"{HEADER}\n{IND};0181;{y};T;50;300\n{IND};1287;{y};T;50;300\n",
                   "Rad 3: området ”1287” hör inte till Södertälje (0181)"),
    "för stor": (lambda y: HEADER + "\n" + f"{IND};0181;{y};T;50;300\n" * (MAX_BYTES // 20),
                 "Filen är för stor"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_file_gets_the_import_refusals_and_publishes_nothing(store, case):
    make, expected = HOSTILE[case]
    data = make(latest(store)[0]).encode("utf-8")
    p = uploads.preview(EDITOR, "0181", "enkat.csv", data)
    assert not p.ok and any(expected in r for r in p.refusals), p.refusals
    assert p.changes.empty and p.hidden.empty
    before = file_identity(store)
    with pytest.raises(uploads.UploadError) as err:
        uploads.publish(EDITOR, "0181", p)
    assert any(expected in r for r in err.value.problems)
    assert file_identity(store) == before
    assert not list(uploads.versions_dir(store).glob("*.sqlite"))


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(store):
    p = uploads.preview(EDITOR, "0181", "enkat.exe", b"MZ")
    assert p.refusals == ("Filen ska vara en CSV-fil (.csv) eller en Excel-fil (.xlsx) enligt enkätmallen.",)
