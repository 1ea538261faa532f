"""Issue #27: the action plan's follow-up uploaded in the app — the role checked inside every call (nothing
written otherwise: same file, same build id), a preview that says which rows are new and which replace an
earlier status, the command line's import on publish with its audit event (who, file, sha256, rows) in the
same publish, the import's Swedish refusals for hostile files, and the survey's undo that no longer drops a
follow-up published after the survey file."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3

import pandas as pd
import pytest

from etl.actions_import import TEMPLATE, import_actions
from etl.survey_import import MAX_BYTES
from services import action_uploads, uploads
from services import catalogue as cat
from services.auth import ANONYMOUS
from tests.test_uploads import ADMIN, EDITOR, OTHER_EDITOR, OWNER, READER, one, store, survey  # noqa: F401

HEADER = "kommun;malomrade;atgard;ar;status;ansvarig;kommentar"
AREA = "sodertalje.sod_6"


def csv(*lines: str) -> bytes:
    return ("\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8-sig")


# Against the template's follow-up (6.1 pågår, 6.2 ej påbörjad in 2025): 6.1 done, 6.3 new.
FILE = csv("0181;6;1;2025;genomförd;Kultur- och fritidsnämnden;Klar i maj", "0181;6;3;2025;pågår;Socialnämnden;")


def build_id(path) -> str:
    return one(path, "SELECT value FROM meta WHERE key = 'build_id'")


def events(path, action: str = uploads.ACTIONS) -> list[tuple]:
    with sqlite3.connect(path) as con:
        return con.execute("SELECT subject, email, municipality_id, target, details FROM audit_event "
                           "WHERE action = ? ORDER BY id", (action,)).fetchall()


@pytest.fixture
def followed(store):  # noqa: F811
    """The store with the template's follow-up imported on the command line."""
    import_actions(store, TEMPLATE)
    return store


@pytest.mark.parametrize("who", [ANONYMOUS, READER, OWNER, OTHER_EDITOR],
                         ids=["anonym", "läsare", "åtgärdsansvarig", "redaktör-1287"])
def test_without_the_role_preview_and_publish_are_refused_and_nothing_changes(followed, who):
    before, build = followed.read_bytes(), build_id(followed)
    for call in (lambda: action_uploads.preview_actions(who, "0181", "atgarder.csv", FILE),
                 lambda: action_uploads.preview_actions(who, "0181", "skrap.exe", b"\x00junk"),  # role first
                 lambda: action_uploads.publish_actions(who, "0181", FILE, file_name="atgarder.csv")):
        with pytest.raises(PermissionError, match="Inget har ändrats|inget har ändrats"):
            call()
    assert followed.read_bytes() == before and build_id(followed) == build
    assert events(followed) == []


def test_an_editors_preview_is_refused_to_a_reader(followed):
    prepared = action_uploads.preview_actions(EDITOR, "0181", "atgarder.csv", FILE)
    before = followed.read_bytes()
    with pytest.raises(PermissionError):
        action_uploads.publish_actions(READER, "0181", prepared)
    with pytest.raises(uploads.UploadError, match="gäller kommun 0181, inte 1287"):  # another's, naming her own
        action_uploads.publish_actions(OTHER_EDITOR, "1287", prepared)
    assert followed.read_bytes() == before


def test_the_preview_says_which_rows_are_new_and_which_replace_and_writes_nothing(followed):
    before = followed.read_bytes()
    p = action_uploads.preview_actions(EDITOR, "0181", "atgarder.csv", FILE)
    assert followed.read_bytes() == before
    assert p.ok and p.rows == 2 and p.counts == {"new": 1, "replaced": 1}
    assert p.sha256 == hashlib.sha256(FILE).hexdigest() and p.build_id == build_id(followed)
    ch = p.changes.set_index("line")
    assert ch.loc[2, ["change", "old_status", "status"]].tolist() == ["replaced", "pågår", "genomförd"]
    assert ch.loc[3, ["change", "status", "responsible"]].tolist() == ["new", "pågår", "Socialnämnden"]
    assert ch.loc[3, "old_status"] is None
    assert ch.loc[2, "action"].startswith("6.1 ") and ch.loc[3, "action"].startswith("6.3 ")


def test_publish_shows_the_status_in_the_follow_up_and_audits_who_and_the_checksum(followed):
    old = build_id(followed)
    done = action_uploads.publish_actions(EDITOR, "0181",
                                          action_uploads.preview_actions(EDITOR, "0181", "atgarder.csv", FILE))
    assert done.rows == 2 and done.previous_build_id == old and done.build_id == build_id(followed) != old
    follow = cat.action_follow_up(AREA)
    latest = follow[follow["year"] == 2025].set_index("action_code")["status"]
    assert latest["1"] == "genomförd" and latest["3"] == "pågår" and latest["2"] == "ej påbörjad"
    ((subject, email, kommun, target, details),) = events(followed)
    assert (subject, email, kommun, target) == (EDITOR.subject, EDITOR.email, "0181", "atgarder.csv")
    assert json.loads(details)["sha256"] == hashlib.sha256(FILE).hexdigest()
    assert json.loads(details)["rows"] == 2
    assert one(followed, "SELECT command FROM publication ORDER BY id DESC LIMIT 1").startswith(
        "app: uppladdning av åtgärdsuppföljningen atgarder.csv")
    trail = uploads.history(EDITOR)
    assert trail[["action", "file", "rows"]].iloc[0].tolist() == [uploads.ACTIONS, "atgarder.csv", 2]
    assert uploads.history(OTHER_EDITOR).empty


def test_an_administrator_publishes_bytes_and_an_excel_file_previews_like_the_csv(followed):
    frame = pd.read_csv(io.BytesIO(FILE), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    xlsx = action_uploads.preview_actions(ADMIN, "0181", "atgarder.xlsx", buf.getvalue())
    plain = action_uploads.preview_actions(ADMIN, "0181", "atgarder.csv", FILE)
    assert xlsx.ok
    pd.testing.assert_frame_equal(xlsx.changes, plain.changes)
    assert action_uploads.publish_actions(ADMIN, "0181", buf.getvalue(), file_name="atgarder.xlsx").rows == 2
    assert [e[0] for e in events(followed)] == [ADMIN.subject]


HOSTILE = {
    "formel i kommun": (csv("=cmd|' /C calc'!A0;6;1;2025;pågår;A;"),
                        "Rad 2: kommunen ”=cmd|' /C calc'!A0” är inte Södertälje (0181)"),
    "formel i status": (csv('0181;6;1;2025;"=HYPERLINK(""http://x"")";A;'), "Rad 2: statusen ”=HYPERLINK("),
    "fel kolumner": (b"kommun;omrade;atgard;ar;status;ansvarig;kommentar\n0181;6;1;2025;pagar;A;\n",
                     "Kolumnen ”malomrade” saknas"),
    "dubbel kolumn": (f"{HEADER};status\n0181;6;1;2025;pågår;A;;klar\n".encode(),
                      "Kolumnen ”status” finns flera gånger i rubrikraden."),
    "annan kommun": (csv("0181;6;1;2025;pågår;A;", "1287;1;1;2025;pågår;A;"),
                     "Rad 3: kommunen ”1287” är inte Södertälje (0181); filen får bara innehålla kommunens egna"),
    "binärt skräp": (b"\x00\x01\x02\xff\xfe" * 100, "Filen är inte en textfil i CSV-format"),
    "trasig excel": (b"PK\x03\x04" + b"\x13\x37" * 200, "Filen ser ut som en Excel-fil men kan inte läsas"),
    "för stor": (csv(*["0181;6;1;2025;pågår;Kultur- och fritidsnämnden;" + "x" * 60] * (MAX_BYTES // 80)),
                 "Filen är för stor"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_file_gets_the_import_refusals_and_publishes_nothing(followed, case):
    data, expected = HOSTILE[case]
    p = action_uploads.preview_actions(EDITOR, "0181", "atgarder.csv", data)
    assert not p.ok and any(r.startswith(expected) for r in p.refusals), p.refusals
    assert p.changes.empty and p.rows == 0
    before, build = followed.read_bytes(), build_id(followed)
    with pytest.raises(uploads.UploadError) as err:
        action_uploads.publish_actions(EDITOR, "0181", p)
    assert any(r.startswith(expected) for r in err.value.problems), err.value.problems
    assert followed.read_bytes() == before and build_id(followed) == build
    assert events(followed) == []


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(followed):
    p = action_uploads.preview_actions(EDITOR, "0181", "atgarder.exe", FILE)
    assert p.refusals == ("Filen ska vara en CSV-fil (.csv) eller en Excel-fil (.xlsx) enligt åtgärdsmallen.",)
    with pytest.raises(uploads.UploadError, match="enligt åtgärdsmallen"):
        action_uploads.publish_actions(EDITOR, "0181", FILE, file_name="atgarder.exe")


def test_the_survey_undo_refuses_after_a_follow_up_was_published_and_keeps_it(followed):
    """The undo republishes the version before the survey upload: after an action upload that would drop the
    follow-up, so the undo refuses (the follow-up's publish is a run of its own in the history)."""
    data, _ = survey(followed)
    uploads.publish(EDITOR, "0181", data, file_name="enkat.csv")
    action_uploads.publish_actions(EDITOR, "0181", FILE, file_name="atgarder.csv")
    assert uploads.last_upload("0181") is None
    with pytest.raises(uploads.UploadError, match="ingen uppladdning i appen"):
        uploads.undo_last(EDITOR, "0181")
    assert one(followed, "SELECT status FROM action_status WHERE focus_area_id = ? AND action_code = '3'",
               (AREA,)) == "pågår"
