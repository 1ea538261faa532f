"""Issue #27: the action plan reported in the app. The body that answers for an action (åtgärdsansvarig)
reports its status, period and comment; the coordinator (redaktör of the municipality, or an administratör)
approves or rejects it; only approved reports show on the focus page, beside the imported follow-up; every
report is kept; every write checks the role inside itself and is audited; the actions without a report for a
period are listed and downloadable, safe in Excel."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl.actions_import import import_actions
from etl.publish import carry_app_rows
from services import action_reports as ar
from services import catalogue as cat
from services.auth import ANONYMOUS, Grant, Principal
from services.store import clear_caches
from store import schema
from store.db import StoreError, check_store, file_identity, read_only_engine

ROOT = Path(__file__).resolve().parent.parent
DEMO_ACTIONS = ROOT / "data" / "demo" / "atgarder_demo.csv"
BODY = "Telge Bostäder AB"
OWNER = Principal(subject="ansvarig-telge", email="ansvarig@telge.se", grants=(Grant("åtgärdsansvarig", BODY),))
OTHER_OWNER = Principal(subject="ansvarig-soc", grants=(Grant("åtgärdsansvarig", "Socialnämnden"),))
EDITOR = Principal(subject="redaktor-0181", email="redaktor@sodertalje.se", grants=(Grant("redaktör", "0181"),))
OTHER_EDITOR = Principal(subject="redaktor-1287", grants=(Grant("redaktör", "1287"),))
READER = Principal(subject="lasare", grants=(Grant("läsare"),))
ADMIN = Principal(subject="admin", email="admin@example.se", grants=(Grant("administratör"),))
YEAR = 2025


def demo_rows() -> pd.DataFrame:
    return pd.read_csv(DEMO_ACTIONS, sep=";", dtype=str, encoding="utf-8-sig")


@pytest.fixture
def store(demo_store, tmp_path, monkeypatch):
    """A copy of the demo store with the DEMO follow-up that names Telge Bostäder AB (make run-editor's)."""
    path = tmp_path / "indicators.sqlite"
    shutil.copyfile(demo_store, path)
    import_actions(path, DEMO_ACTIONS)
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


def counts(path) -> tuple[int, int]:
    return (rows(path, "SELECT COUNT(*) FROM action_report")[0][0], rows(path, "SELECT COUNT(*) FROM audit_event")[0][0])


def telge_actions() -> list[str]:
    """The actions the DEMO file names Telge Bostäder AB for, as labels' prefixes ("4.1 ")."""
    d = demo_rows()
    return [f"{r.malomrade}.{r.atgard} " for r in d[d["ansvarig"] == BODY].itertuples()]


def first_action() -> pd.Series:
    return ar.actions_for(OWNER).iloc[0]


def draft(**kw) -> ar.Draft:
    base = {"action_id": first_action()["action_id"], "year": YEAR, "status": "pågår",
            "comment": "Trygghetsvandring i Hovsjö genomförd med de boende."}
    return ar.Draft(**(base | kw))


def app_follow_up(action: pd.Series) -> pd.DataFrame:
    f = cat.action_follow_up(action["focus_area_id"])
    return f[(f["action_code"] == action["code"]) & (f["origin"] == "app")]


def test_an_owner_sees_the_actions_of_their_body_only(store):
    mine = ar.actions_for(OWNER)
    expected = telge_actions()
    assert expected and len(mine) == len(expected)
    assert sorted(next(p for p in expected if lbl.startswith(p)) for lbl in mine["label"]) == sorted(expected)
    assert set(mine["responsible"]) == {BODY}
    assert ar.actions_for(OTHER_OWNER).empty and ar.actions_for(READER).empty and ar.actions_for(ANONYMOUS).empty
    everyone = ar.actions_for(ADMIN)
    assert set(everyone["responsible"]) == set(demo_rows()["ansvarig"]) and len(everyone) == len(demo_rows())
    assert ar.can_report(OWNER) and ar.can_report(ADMIN) and not ar.can_report(READER) and not ar.can_report(EDITOR)
    assert ar.can_review(EDITOR) and ar.can_review(ADMIN) and not ar.can_review(OWNER)


@pytest.mark.parametrize("who", [ANONYMOUS, READER, OTHER_OWNER, EDITOR],
                         ids=["anonym", "läsare", "annan-ansvarig", "redaktör"])
def test_a_report_without_the_bodys_role_is_refused_and_writes_nothing(store, who):
    before = file_identity(store)
    with pytest.raises(PermissionError, match="Inget har ändrats|inget har ändrats"):
        ar.report(who, draft())
    assert counts(store) == (0, 0) and file_identity(store) == before


def test_an_owner_cannot_report_another_bodys_action(store):
    d = demo_rows()
    other = d[d["ansvarig"] != BODY].iloc[0]
    action = next(a for a in ar.actions_for(ADMIN).itertuples()
                  if a.label.startswith(f"{other.malomrade}.{other.atgard} "))
    with pytest.raises(PermissionError, match=other["ansvarig"]):
        ar.report(OWNER, draft(action_id=action.action_id))
    assert counts(store) == (0, 0)


def test_a_report_waits_for_approval_then_shows_on_the_focus_page_with_who_approved(store):
    action = first_action()
    uid = ar.report(OWNER, draft())
    (row,) = rows(store, "SELECT state, responsible, year, status, comment, reported_subject, reported_email, "
                         "reviewed_at FROM action_report WHERE uid = ?", (uid,))
    assert row == ("inskickad", BODY, YEAR, "pågår", draft().comment, "ansvarig-telge", "ansvarig@telge.se", None)
    assert app_follow_up(action).empty  # submitted: not on the focus page
    assert list(ar.submitted("0181")["uid"]) == [uid]
    for who in (ANONYMOUS, READER, OWNER, OTHER_EDITOR):
        with pytest.raises(PermissionError):
            ar.approve(who, uid)
    assert rows(store, "SELECT state FROM action_report") == [("inskickad",)]
    ar.approve(EDITOR, uid)
    shown = app_follow_up(action)
    assert len(shown) == 1
    got = shown.iloc[0]
    assert (int(got["year"]), got["status"], got["comment"], got["approved_by"]) == \
        (YEAR, "pågår", draft().comment, "redaktor@sodertalje.se")
    assert str(got["approved_at"]).startswith("20")
    # The latest status and the summary read the approved report (newer than the imported 2024 follow-up).
    follow = cat.action_follow_up(action["focus_area_id"])
    assert follow[follow["action_code"] == action["code"]].iloc[0]["origin"] == "app"
    assert cat.action_summary(action["focus_area_id"])[2] == YEAR
    assert [a for (a,) in rows(store, "SELECT action FROM audit_event ORDER BY id")] == \
        ["action_reported", "action_report_approved"]
    with pytest.raises(ar.ReportError, match="väntar inte"):
        ar.approve(EDITOR, uid)  # once
    assert ar.submitted("0181").empty


def test_the_history_is_kept_and_a_rejected_report_never_shows(store):
    action = first_action()
    first = ar.report(OWNER, draft(status="ej påbörjad", comment="Upphandling pågår."))
    second = ar.report(OWNER, draft(status="pågår", comment="Startade i april."))
    third = ar.report(OWNER, draft(status="genomförd", comment="Klar, enligt oss."))
    assert counts(store) == (3, 3)
    ar.approve(ADMIN, first)
    ar.approve(EDITOR, second)
    with pytest.raises(ar.ReportError, match="varför"):
        ar.reject(EDITOR, third, "  ")
    with pytest.raises(ar.ReportError, match="HTML eller markdown"):
        ar.reject(EDITOR, third, "<b>nej</b>")
    ar.reject(EDITOR, third, "Slutrapporten saknas.")
    shown = app_follow_up(action)
    assert list(shown["comment"]) == ["Startade i april.", "Upphandling pågår."]  # newest approved first
    history = ar.history("0181")
    assert set(history["uid"]) == {first, second, third}
    assert dict(zip(history["uid"], history["state"], strict=True)) == {first: "godkänd", second: "godkänd",
                                                                         third: "avslagen"}
    assert history.set_index("uid").loc[third, "rejection_reason"] == "Slutrapporten saknas."
    assert [a for (a,) in rows(store, "SELECT action FROM audit_event ORDER BY id")][-1] == "action_report_rejected"


# Both roles in one account: the four-eyes rule applies to whoever reported, whatever their roles.
OWNER_AND_EDITOR = Principal(subject="ansvarig-och-redaktor", email="dubbel@sodertalje.se",
                             grants=(Grant("åtgärdsansvarig", BODY), Grant("redaktör", "0181")))


@pytest.mark.parametrize(("reporter", "decide"), [
    (ADMIN, lambda who, uid: ar.approve(who, uid)),
    (ADMIN, lambda who, uid: ar.reject(who, uid, "Jag ångrar mig.")),
    (OWNER_AND_EDITOR, lambda who, uid: ar.approve(who, uid)),
    (OWNER_AND_EDITOR, lambda who, uid: ar.reject(who, uid, "Fel år.")),
], ids=["admin-godkänner", "admin-avslår", "dubbelroll-godkänner", "dubbelroll-avslår"])
def test_a_reviewer_cannot_review_a_report_they_sent_themselves(store, reporter, decide):
    uid = ar.report(reporter, draft())
    before, written = file_identity(store), counts(store)
    with pytest.raises(PermissionError, match="själv har skickat in.*Inget har ändrats"):
        decide(reporter, uid)
    assert file_identity(store) == before and counts(store) == written
    assert rows(store, "SELECT state, reviewed_subject FROM action_report") == [("inskickad", None)]
    assert list(ar.submitted("0181")["uid"]) == [uid]
    # Another coordinator of the municipality still can.
    ar.approve(EDITOR, uid)
    assert rows(store, "SELECT state, reviewed_subject FROM action_report") == [("godkänd", "redaktor-0181")]
    assert len(app_follow_up(first_action())) == 1


def test_a_different_redaktor_can_reject_an_administrators_report(store):
    uid = ar.report(ADMIN, draft())
    ar.reject(EDITOR, uid, "Kommentaren saknar resultat.")
    assert rows(store, "SELECT state, reported_subject, reviewed_subject FROM action_report") == \
        [("avslagen", "admin", "redaktor-0181")]


def test_the_four_eyes_refusal_comes_after_the_role_check(store):
    """A reporter without the reviewing role gets the role's refusal, not the four-eyes one."""
    uid = ar.report(OWNER, draft())
    with pytest.raises(PermissionError, match="rollen redaktör för kommun 0181"):
        ar.approve(OWNER, uid)
    assert rows(store, "SELECT state FROM action_report") == [("inskickad",)]


@pytest.mark.parametrize(("kw", "message"), [
    ({"status": "nästan klar"}, "ska vara ej påbörjad"),
    ({"year": 1989}, "mellan 1990 och 2100"),
    ({"year": 2101}, "mellan 1990 och 2100"),
    ({"comment": "x" * (ar.COMMENT_MAX + 1)}, f"högst {ar.COMMENT_MAX}"),
    ({"comment": "se [här](http://x.invalid)"}, "HTML eller markdown"),
    ({"comment": "<script>alert(1)</script>"}, "HTML eller markdown"),
    ({"comment": "ok\x07"}, "styrtecken"),
    ({"action_id": "sodertalje.sod_4/99"}, "finns inte"),
])
def test_a_bad_report_gets_a_swedish_message_and_nothing_is_written(store, kw, message):
    who = ADMIN if "action_id" in kw else OWNER  # an unknown action: only an administratör gets this far
    with pytest.raises(ar.ReportError, match=message):
        ar.report(who, draft(**kw))
    assert counts(store) == (0, 0)


def test_a_review_of_an_unknown_report_by_a_reader_is_refused(store):
    with pytest.raises(PermissionError):
        ar.reject(READER, "finns-inte", "skäl")
    with pytest.raises(ar.ReportError, match="finns inte"):
        ar.approve(EDITOR, "finns-inte")


def test_the_actions_without_a_report_for_a_period_and_their_download(store):
    plan = ar.plan("0181")
    missing = ar.missing_reports("0181", YEAR)
    assert len(missing) == len(plan)  # the DEMO follow-up is for an earlier year
    imported_year = int(demo_rows()["ar"].iloc[0])
    assert len(ar.missing_reports("0181", imported_year)) == len(plan) - len(demo_rows())
    uid = ar.report(OWNER, draft())
    assert len(ar.missing_reports("0181", YEAR)) == len(plan) - 1  # submitted counts
    ar.reject(EDITOR, uid, "Fel år.")
    again = ar.missing_reports("0181", YEAR)
    assert len(again) == len(plan)
    assert (again["Anmärkning"] != "").sum() == 1
    assert set(missing.columns) == {"Kommun", "Område", "Åtgärd", "Ansvarig", "År", "Anmärkning"}


def test_the_reminder_list_is_safe_in_excel_with_a_hostile_action_title(store):
    hostile = "=HYPERLINK(\"http://x.invalid\",\"Klicka\")"
    action = first_action()
    # A hostile title in the plan (catalogue files are edited by hand) and a hostile responsible body.
    con = sqlite3.connect(store)
    with con:
        con.execute("UPDATE focus_area_action SET title = ? WHERE focus_area_id = ? AND code = ?",
                    (hostile, action["focus_area_id"], action["code"]))
        con.execute("UPDATE action_status SET responsible = '@SUM(A1)' WHERE responsible = 'Kommunstyrelsen'")
    con.close()
    clear_caches()
    data = ar.missing_reports_csv("0181", YEAR).decode("utf-8-sig")
    if data.startswith("# "):
        data = data.split("\r\n", 1)[1]
    table = list(csv.reader(io.StringIO(data, newline=""), delimiter=";"))
    assert len(table) == len(ar.plan("0181")) + 1
    assert not [c for r in table for c in r if c[:1] in ("=", "+", "-", "@")]
    assert "'@SUM(A1)" in {c for r in table for c in r}
    years = {r[table[0].index("År")] for r in table[1:]}
    assert years == {str(YEAR)}
    book = openpyxl.load_workbook(io.BytesIO(ar.missing_reports_xlsx("0181", YEAR)))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f" or str(c.value or "")[:1] in ("=", "+", "-", "@")]
    year_cells = [c for c in cells if c.value == YEAR]
    assert year_cells and all(c.data_type == "n" for c in year_cells)  # numbers stay numbers


def test_reports_are_carried_into_a_rebuilt_store(store, demo_store, tmp_path):
    uid = ar.report(OWNER, draft())
    ar.approve(EDITOR, uid)
    rebuilt = tmp_path / "rebuilt.sqlite"
    shutil.copyfile(demo_store, rebuilt)
    carry_app_rows(rebuilt, store)
    assert rows(rebuilt, "SELECT uid, state, reviewed_subject FROM action_report") == [(uid, "godkänd",
                                                                                        "redaktor-0181")]
    carry_app_rows(rebuilt, store)
    assert rows(rebuilt, "SELECT COUNT(*) FROM action_report") == [(1,)]  # by uid: once


def test_a_store_of_schema_8_asks_to_be_rebuilt(store, tmp_path):
    old = tmp_path / "old.sqlite"
    shutil.copyfile(store, old)
    with sqlite3.connect(old) as con:
        con.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    assert schema.SCHEMA_VERSION != "8"
    with pytest.raises(StoreError, match=f"schemaversion 8.*{schema.SCHEMA_VERSION}"):
        check_store(read_only_engine(str(old)))
