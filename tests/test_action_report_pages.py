"""Issue #27, headless (AppTest): the action plan's reporting pages per role. "Åtgärder – rapportera" is in
the menu only for an åtgärdsansvarig (or an administratör), "Åtgärder – granska" only for a redaktör (or an
administratör); a crafted link from anyone else gets a Swedish refusal; a report sent by ansvarig-telge and
approved by redaktor-0181 is on the focus page of another session, a rejected one never.

Signs in as tests/test_editor_pages.py does (``at.user`` seeds ``st.user``, ``at.secrets`` the [auth])."""

from __future__ import annotations

import shutil

import pytest
import streamlit as st

from components.strings import t
from etl.actions_import import import_actions
from pages.views import focus_area_path
from services import action_reports as ar
from services.auth import Grant, Principal
from services.store import clear_caches
from tests.test_action_reports import BODY, DEMO_ACTIONS, telge_actions
from tests.test_editor_pages import ROOT, buttons, menu, open_page

REPORT, REVIEW = "atgarder-rapportera", "atgarder-granska"
OWNER = Principal(subject="ansvarig-telge", grants=(Grant("åtgärdsansvarig", BODY),))


@pytest.fixture(autouse=True)
def store(demo_store, tmp_path, monkeypatch):
    """A store of its own with the DEMO follow-up (Telge Bostäder AB answers for some actions)."""
    path = tmp_path / "indicators.sqlite"
    shutil.copyfile(demo_store, path)
    import_actions(path, DEMO_ACTIONS)
    monkeypatch.setenv("INDICATOR_STORE", str(path))
    monkeypatch.setenv("INDICATOR_ROLES_FILE", str(ROOT / "deploy" / "roles.example.toml"))
    st.config.set_option("client.showErrorDetails", "full")
    clear_caches()
    yield path
    clear_caches()


def frames(at, column: str) -> list:
    """The dataframes on the page that have ``column`` (AppTest finds a dataframe by position, not key)."""
    return [d.value for d in at.dataframe if column in d.value.columns]


def titles(at) -> list[str]:
    return [x.value for x in at.title]


def test_without_auth_there_are_no_action_pages():
    at = open_page(None, auth=False)
    assert t("page_action_report") not in menu(at) and t("page_action_review") not in menu(at)
    at = open_page(REPORT, auth=False)
    assert t("ar_title") not in titles(at) and t("ar_send") not in buttons(at)


@pytest.mark.parametrize("who", [None, "lasare", "okand-person"])
def test_anonymous_and_readers_get_neither_page_and_crafted_links_are_refused(who):
    at = open_page(None, who=who)
    assert t("page_action_report") not in menu(at) and t("page_action_review") not in menu(at)
    suffix = "" if who else "_anonymous"
    at = open_page(REPORT, who=who)
    assert [e.value for e in at.error] == [t(f"ar_refused{suffix}")]
    assert t("ar_send") not in buttons(at) and not at.text_area
    at = open_page(REVIEW, who=who)
    assert [e.value for e in at.error] == [t(f"arv_refused{suffix}")]
    assert t("arv_approve") not in buttons(at) and not at.get("download_button")


def test_each_role_sees_its_own_page_only():
    owner = open_page(None, who="ansvarig-telge")
    assert t("page_action_report") in menu(owner) and t("page_action_review") not in menu(owner)
    editor = open_page(None, who="redaktor-0181")
    assert t("page_action_review") in menu(editor) and t("page_action_report") not in menu(editor)
    admin = open_page(None, who="admin")
    assert t("page_action_report") in menu(admin) and t("page_action_review") in menu(admin)
    at = open_page(REVIEW, who="ansvarig-telge")
    assert [e.value for e in at.error] == [t("arv_refused")]
    at = open_page(REPORT, who="redaktor-0181")
    assert [e.value for e in at.error] == [t("ar_refused")]


def test_an_owner_reports_the_coordinator_approves_and_the_focus_page_shows_it():
    at = open_page(REPORT, who="ansvarig-telge")
    assert titles(at) == [t("ar_title")] and not at.error
    sends = [b for b in at.button if b.label == t("ar_send")]
    assert len(sends) == len(telge_actions())
    at.selectbox(key="ar_status_0").set_value("genomförd")
    at.number_input(key="ar_year_0").set_value(2025)
    at.text_area(key="ar_comment_0").input("Nya belysningen i Ronna är på plats.")
    at.run()
    at.button(key="ar_send_0").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (sent,) = [s.value for s in at.success]
    assert sent.startswith("Rapporten för ") and "väntar på samordnarens godkännande" in sent
    assert at.text_area(key="ar_comment_0").value == ""
    (mine,) = frames(at, t("ar_col_state"))
    assert list(mine[t("ar_col_state")]) == ["inskickad"]

    action = ar.actions_for(OWNER).iloc[0]
    focus = focus_area_path(action["label"].split(".", 1)[0], action["focus_area"].split(". ", 1)[-1])
    before = open_page(focus)
    assert "Nya belysningen i Ronna är på plats." not in str([tb.value for tb in before.table])

    review = open_page(REVIEW, who="redaktor-0181")
    assert titles(review) == [t("arv_title")]
    approve = [b for b in review.button if b.label == t("arv_approve")]
    assert len(approve) == 1
    assert any("Nya belysningen i Ronna är på plats." in m.value for m in review.markdown)
    approve[0].click().run()
    assert not review.error, [e.value for e in review.error]
    assert [s.value for s in review.success][0].endswith("syns nu på fokusområdets sida.")
    assert t("arv_submitted_none") in [c.value for c in review.caption]
    assert list(frames(review, t("ar_col_state"))[0][t("ar_col_state")]) == ["godkänd"]

    other = open_page(focus)
    shown = [tb.value for tb in other.table]
    rows = [r for df in shown for _, r in df.iterrows() if r[t("actions_col_comment")] ==
            "Nya belysningen i Ronna är på plats."]
    assert len(rows) == 1, shown
    assert rows[0][t("actions_col_status")] == "genomförd"
    assert rows[0][t("actions_col_approved")].startswith("redaktor-0181@example.se, 20")
    assert rows[0][t("actions_col_origin")] == t("actions_origin_app")


def test_the_coordinator_rejects_with_a_reason_and_downloads_the_reminder_list():
    ar.report(OWNER, ar.Draft(ar.actions_for(OWNER).iloc[0]["action_id"], 2025, "pågår", "Halvvägs."))
    clear_caches()
    review = open_page(REVIEW, who="redaktor-0181")
    (reject,) = [b for b in review.button if b.label == t("arv_reject")]
    reject.click().run()  # no reason: refused in Swedish, nothing changes
    assert any("varför" in e.value for e in review.error)
    assert len([b for b in review.button if b.label == t("arv_reject")]) == 1
    (reason,) = [x for x in review.text_input if x.key.startswith("arv_reason_")]
    reason.input("Kommentaren saknar resultat.").run()
    [b for b in review.button if b.label == t("arv_reject")][0].click().run()
    assert not review.error, [e.value for e in review.error]
    assert [s.value for s in review.success][0].endswith("är avslagen.")
    history = frames(review, t("ar_col_state"))[0]
    assert list(history[t("ar_col_reason")]) == ["Kommentaren saknar resultat."]
    review.number_input(key="arv_year").set_value(2025).run()
    (missing,) = frames(review, "Anmärkning")
    assert len(missing) == len(ar.plan("0181"))  # a rejected report leaves the action on the list
    labels = [d.proto.label for d in review.get("download_button")]
    assert labels == [t("download_csv"), t("download_xlsx")]
    # The owner sees the rejection and its reason.
    owner = open_page(REPORT, who="ansvarig-telge")
    (mine,) = frames(owner, t("ar_col_state"))
    assert list(mine[t("ar_col_state")]) == ["avslagen"]
    assert list(mine[t("ar_col_reason")]) == ["Kommentaren saknar resultat."]


def test_the_review_page_offers_no_approval_of_ones_own_report():
    """Four eyes: the administratör who reported sees the report without Godkänn/Avslå; a redaktör does."""
    admin = Principal(subject="admin", grants=(Grant("administratör"),))
    ar.report(admin, ar.Draft(ar.actions_for(OWNER).iloc[0]["action_id"], 2025, "pågår", "Rapporterad av admin."))
    clear_caches()
    own = open_page(REVIEW, who="admin")
    assert titles(own) == [t("arv_title")] and not own.error
    assert any("Rapporterad av admin." in m.value for m in own.markdown)
    assert [i.value for i in own.info] == [t("arv_own")]
    assert t("arv_approve") not in buttons(own) and t("arv_reject") not in buttons(own)
    assert not [x for x in own.text_input if x.key.startswith("arv_reason_")]
    other = open_page(REVIEW, who="redaktor-0181")
    assert t("arv_own") not in [i.value for i in other.info]
    (approve,) = [b for b in other.button if b.label == t("arv_approve")]
    approve.click().run()
    assert not other.error, [e.value for e in other.error]
    assert list(frames(other, t("ar_col_state"))[0][t("ar_col_state")]) == ["godkänd"]
