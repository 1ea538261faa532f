"""Issue #27, headless (AppTest): the app per role. Without [auth] the app is the viewer it was; with it the
sidebar signs in and out, the editor page is in the menu only for a redaktör, a crafted link from anyone
else gets a Swedish refusal, and a redaktör's note is on the focus page of another session at once.

Streamlit 1.67's AppTest seeds ``st.user`` from ``at.user`` and the ``[auth]`` section from ``at.secrets``,
so these tests sign in the way the app reads a sign-in; no test seam in the app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from components.strings import t
from services.store import clear_caches

TIMEOUT = 120
ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "bara-for-test",
                 "client_id": "dashboard", "client_secret": "hemligt",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}
FOCUS = "6-ett-tryggt-sodertalje"


def user(sub: str) -> dict:
    return {"is_logged_in": True, "sub": sub, "email": f"{sub}@example.se", "name": sub}


@pytest.fixture(autouse=True)
def store(demo_store, tmp_path, monkeypatch):
    """A store of its own (a test here writes), the example roles file, full error details."""
    path = tmp_path / "indicators.sqlite"
    shutil.copyfile(demo_store, path)
    monkeypatch.setenv("INDICATOR_STORE", str(path))
    monkeypatch.setenv("INDICATOR_ROLES_FILE", str(ROOT / "deploy" / "roles.example.toml"))
    st.config.set_option("client.showErrorDetails", "full")
    clear_caches()
    yield path
    clear_caches()


def open_page(url_path: str | None, who: str | None = None, auth: bool = True, **params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if auth:
        at.secrets = dict(AUTH)
    at.user = user(who) if who else ({"is_logged_in": False} if auth else {})
    for k, v in {"kommun": "0181", **params}.items():
        at.query_params[k] = v
    if url_path:  # one run, of the page itself
        at._page_hash = calc_hash(url_path)  # noqa: SLF001 - AppTest has no public switch by url_path
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def menu(at: AppTest) -> list[str]:
    return [p.proto.label for p in at.get("page_link")]


def sidebar_text(at: AppTest) -> str:
    """The sidebar's markdown as it reads (markdown escapes dropped)."""
    return " ".join(m.value for m in at.sidebar.markdown).replace("\\", "")


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_without_auth_there_is_no_sign_in_and_no_editor_page():
    at = open_page(None, auth=False)
    assert t("account_login") not in buttons(at) and t("account_logout") not in buttons(at)
    assert t("page_notes") not in menu(at)
    at = open_page("anteckningar", auth=False)
    assert t("notes_title") not in [x.value for x in at.title] and not at.text_area  # the overview, as before


def test_anonymous_with_auth_sees_logga_in_and_a_crafted_link_is_refused():
    at = open_page(None)
    assert t("account_login") in buttons(at)
    assert t("page_notes") not in menu(at)
    at = open_page("anteckningar")
    assert [e.value for e in at.error] == [t("notes_refused_anonymous")]
    assert not at.text_area and t("notes_save") not in buttons(at)


@pytest.mark.parametrize(("who", "role"), [("lasare", "läsare"),
                                           ("ansvarig-telge", "åtgärdsansvarig (Telge Bostäder AB)"),
                                           ("okand-person", "läsare")])
def test_a_signed_in_user_without_the_editor_role_sees_no_editor_page(who, role):
    at = open_page(None, who=who)
    assert f"Inloggad som **{who}@example.se** ({role})" in sidebar_text(at)
    assert t("account_logout") in buttons(at) and t("account_login") not in buttons(at)
    assert t("page_notes") not in menu(at)
    at = open_page("anteckningar", who=who)
    assert [e.value for e in at.error] == [t("notes_refused")]
    assert not at.text_area and t("notes_save") not in buttons(at)


def test_a_redaktor_writes_a_note_previews_it_and_another_session_sees_it():
    at = open_page(None, who="redaktor-0181")
    assert "Inloggad som **redaktor-0181@example.se** (redaktör (0181))" in sidebar_text(at)
    assert t("page_notes") in menu(at)
    at = open_page("anteckningar", who="redaktor-0181")
    assert at.title[0].value == t("notes_title")
    assert not at.error
    at.selectbox(key="notes_indicator").set_value("ENK_TRYGG_OMRADE")
    at.number_input(key="notes_year").set_value(2024)
    at.text_area(key="notes_text").input("Fritidsgården i Hovsjö öppnade igen.")
    at.text_input(key="notes_source").input("Kultur- och fritidsnämnden")
    at.run()
    preview = [c.value for c in at.caption]
    assert "**Not 2, 2024: Fritidsgården i Hovsjö öppnade igen. (Kultur- och fritidsnämnden)**" in preview, preview
    assert any(c.startswith("Not 1, 2022 (exempel i demodatabasen") for c in preview)  # the catalogue's note
    at.button(key="notes_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (saved,) = [s.value for s in at.success]
    assert saved.startswith("Anteckningen är sparad och syns nu på ")
    assert at.text_area(key="notes_text").value == ""
    items = " ".join(m.value for m in at.markdown)
    assert "Fritidsgården i Hovsjö öppnade igen." in items and "redaktor-0181@example.se" in items
    audit = at.dataframe[0].value
    assert list(audit[t("audit_col_action")]) == ["anteckning tillagd"]
    assert audit[t("audit_col_who")].iloc[0] == "redaktor-0181@example.se (redaktor-0181)"
    from services import catalogue as cat  # the indicator by its name, not its code

    assert audit[t("audit_col_target")].iloc[0] == cat.indicator("ENK_TRYGG_OMRADE")["short_title"] != "ENK_TRYGG_OMRADE"

    # Another session, not signed in, on the focus page: the note under the chart, at once.
    other = open_page(FOCUS, ind="ENK_TRYGG_OMRADE")
    captions = [c.value for c in other.caption]
    assert "Not 2, 2024: Fritidsgården i Hovsjö öppnade igen. (Kultur- och fritidsnämnden)" in captions, captions


def test_the_editor_refuses_a_bad_note_in_swedish_before_saving():
    at = open_page("anteckningar", who="redaktor-0181")
    at.text_area(key="notes_text").input("<script>alert(1)</script>")
    at.run()
    assert any("HTML eller markdown" in w.value for w in at.warning)
    assert at.button(key="notes_save").disabled


def test_a_redaktor_removes_a_note_and_the_audit_trail_has_both():
    at = open_page("anteckningar", who="redaktor-0181")
    at.text_area(key="notes_text").input("Tillfällig anteckning.")
    at.run()
    at.button(key="notes_save").click().run()
    remove = [b for b in at.button if b.label == t("notes_remove")]
    assert len(remove) == 1
    remove[0].click().run()
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == [t("notes_removed")]
    assert t("notes_none", municipality="Södertälje") in [c.value for c in at.caption]
    assert list(at.dataframe[0].value[t("audit_col_action")]) == ["anteckning borttagen", "anteckning tillagd"]


def test_make_run_editor_s_script_finds_the_project_from_anywhere(tmp_path, demo_store):
    """`python scripts/run_editor.py` (make run-editor) has scripts/ first on its path, not the project: its
    demo follow-up import must still find etl/ (it failed with ModuleNotFoundError), run from elsewhere."""
    import subprocess
    import sys

    store = tmp_path / "store.sqlite"
    shutil.copy(demo_store, store)
    script = Path(__file__).resolve().parent.parent / "scripts" / "run_editor.py"
    code = ("import runpy, sys; m = runpy.run_path(sys.argv[1], run_name='run_editor'); "
            "print(m['seed_demo_actions'](sys.argv[2]))")
    done = subprocess.run([sys.executable, "-c", code, str(script), str(store)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True"  # the demo store got its DEMO follow-up
    import sqlite3

    with sqlite3.connect(store) as con:
        assert con.execute("SELECT COUNT(*) FROM action_status").fetchone()[0] > 0
