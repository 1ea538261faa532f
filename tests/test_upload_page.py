"""Issue #27, headless (AppTest): the "Ladda upp" page per role. Anonymous and reader sessions have no upload
page in the menu and a crafted page switch gets the Swedish refusal and writes nothing; a redaktör uploads a
file, sees the preview (changes, hidden cells, refusals with lines), publishes, another session sees the new
value, and the undo (with confirmation) restores it."""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from components.strings import t
from services.store import get_store_info, q
from store.db import file_identity
from tests.test_editor_pages import menu, open_page, store  # noqa: F401 - the fixture: a store of its own

IND = "ENK_TRYGG_OMRADE"
HEADER = "indikator;omrade;ar;kon;varde;antal_svarande"
PATH = "ladda-upp"


def latest(path) -> tuple[int, float, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT year, value, n FROM observation WHERE indicator_id = ? AND area_id = '0181' "
                           "AND gender = 'T' AND status = 'ok' ORDER BY year DESC LIMIT 1", (IND,)).fetchone()
    finally:
        con.close()


def value(path, year: int):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM observation WHERE indicator_id = ? AND area_id = '0181' AND year = ? "
                          "AND gender = 'T' AND status = 'ok'", (IND, year)).fetchone()
    finally:
        con.close()
    return None if row is None else row[0]


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    (widget,) = at.file_uploader
    widget.set_value((name, data, "text/csv"))
    return at.run()


@pytest.mark.parametrize("who", [None, "lasare", "ansvarig-telge"])
def test_no_upload_page_and_a_crafted_switch_writes_nothing(store, who):  # noqa: F811
    at = open_page(None, who=who)
    assert t("page_upload") not in menu(at)
    before = file_identity(store)
    at = open_page(PATH, who=who)
    assert [e.value for e in at.error] == [t("upload_refused" if who else "upload_refused_anonymous")]
    assert not at.file_uploader and t("upload_publish") not in [b.label for b in at.button]
    assert file_identity(store) == before


def test_a_redaktor_previews_publishes_and_undoes_and_another_session_sees_it(store):  # noqa: F811
    year, val, n = latest(store)
    new = round(val + 4, 1)
    at = open_page(None, who="redaktor-0181")
    assert t("page_upload") in menu(at)
    at = open_page(PATH, who="redaktor-0181")
    assert at.title[0].value == t("upload_title") and not at.error

    bad = f"{HEADER}\n{IND};0181;{year};T;mycket;{n}\n{IND};1287;{year};T;50;{n}\n".encode()
    at = upload(at, "fel.csv", bad)
    assert not at.exception, [e.message for e in at.exception]
    refusals = [x.value for x in at.text]
    assert any(r.startswith("Rad 2: värdet ”mycket” är inget tal") for r in refusals), refusals
    assert any(r.startswith("Rad 3: området ”1287” hör inte till") for r in refusals), refusals
    assert t("upload_publish") not in [b.label for b in at.button]

    good = f"{HEADER}\n{IND};0181;{year};T;{str(new).replace('.', ',')};{n}\n".encode()
    at = upload(at, "enkat.csv", good)
    assert not at.exception and not at.error, [e.value for e in at.error]
    (info,) = [i.value for i in at.info]
    assert info.startswith("enkat.csv: 1 rader lästa. 0 nya värden, 1 reviderade")
    changes = at.dataframe[0].value
    assert list(changes[t("upload_col_change")]) == [t("upload_change_revised")]
    assert changes[t("upload_col_old")].iloc[0] == pytest.approx(val)
    assert changes[t("upload_col_new")].iloc[0] == pytest.approx(new)
    assert value(store, year) == pytest.approx(val)  # nothing written by the preview

    at.button(key="upload_publish").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (done,) = [s.value for s in at.success]
    assert done.startswith("Publicerat: 1 rader från enkat.csv (version ")
    assert value(store, year) == pytest.approx(new)
    history = at.dataframe[-1].value
    assert list(history[t("upload_col_action")]) == [t("upload_action_survey_uploaded")]
    assert history[t("upload_col_who")].iloc[0] == "redaktor-0181@example.se (redaktor-0181)"

    build = done.split("(version ")[1].split(")")[0]
    other = open_page("data")  # another session, not signed in: the new build at once
    assert not other.exception and get_store_info().version_key.startswith(build)
    assert q("publications")["command"].iloc[-1].startswith("app: uppladdning av enkat.csv")

    at.button(key="upload_undo").click().run()
    assert value(store, year) == pytest.approx(new)  # asked first, nothing changed yet
    at.button(key="upload_undo_confirm").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success][0].startswith("Ångrat: uppladdningen av enkat.csv")
    assert value(store, year) == pytest.approx(val)
    history = at.dataframe[-1].value
    assert list(history[t("upload_col_action")]) == [t("upload_action_publication_undone"),
                                                     t("upload_action_survey_uploaded")]


def test_a_redaktor_uploads_the_action_follow_up_and_sees_it_published(store):  # noqa: F811
    """The other choice on the page: the template to download, the preview (new or replacing, with the old
    status), refusals with lines and no Publicera, then the publish and the follow-up in the store."""
    from etl.actions_import import TEMPLATE, import_actions

    import_actions(store, TEMPLATE)  # 6.1 pågår, 6.2 ej påbörjad (2025)
    at = open_page(PATH, who="redaktor-0181")
    at.radio(key="upload_kind").set_value("actions").run()
    assert not at.exception, [e.message for e in at.exception]
    (download,) = [d for d in at.get("download_button") if d.proto.label == t("upload_actions_template")]
    assert t("upload_publish") not in [b.label for b in at.button]

    header = "kommun;malomrade;atgard;ar;status;ansvarig;kommentar"
    at = upload(at, "fel.csv", f"{header}\n0181;6;1;2025;nästan;A;\n1287;1;1;2025;pågår;A;\n".encode())
    refusals = [x.value for x in at.text]
    assert any(r.startswith("Rad 2: statusen ”nästan” ska vara") for r in refusals), refusals
    assert any(r.startswith("Rad 3: kommunen ”1287” är inte Södertälje (0181)") for r in refusals), refusals
    assert t("upload_publish") not in [b.label for b in at.button]

    good = f"{header}\n0181;6;1;2025;genomförd;Kultur- och fritidsnämnden;<b>Klar</b>\n0181;6;3;2025;pågår;Socialnämnden;\n"
    at = upload(at, "atgarder.csv", good.encode())
    assert not at.exception and not at.error, [e.value for e in at.error]
    (info,) = [i.value for i in at.info]
    assert info == t("upload_actions_summary", file="atgarder.csv", rows=2, new=1, replaced=1)
    changes = at.dataframe[0].value
    assert list(changes[t("upload_col_change")]) == [t("upload_actions_change_replaced"),
                                                     t("upload_actions_change_new")]
    assert list(changes[t("upload_col_old_status")].fillna("")) == ["pågår", ""]
    assert changes[t("upload_col_comment")].iloc[0] == "<b>Klar</b>"  # a table cell, shown as it is written
    with sqlite3.connect(store) as con:
        assert con.execute("SELECT COUNT(*) FROM action_status").fetchone()[0] == 2  # nothing written yet

    at.button(key="upload_actions_publish").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (done,) = [s.value for s in at.success]
    assert done.startswith("Publicerat: 2 uppföljningar från atgarder.csv (version ")
    with sqlite3.connect(store) as con:
        assert con.execute("SELECT action_code, status FROM action_status WHERE year = 2025 ORDER BY 1").fetchall() \
            == [("1", "genomförd"), ("2", "ej påbörjad"), ("3", "pågår")]
    history = at.dataframe[-1].value
    assert list(history[t("upload_col_action")]) == [t("upload_action_actions_uploaded")]
    assert not at.file_uploader[0].value  # a new, empty uploader after the publish
