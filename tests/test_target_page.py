"""Issue #27, headless (AppTest): the Mål page per role — in the menu only for a redaktör, a crafted link from
anyone else refused in Swedish — and a target set there standing under the trend on another session's focus
page at once, with its decision and who set it."""

from __future__ import annotations

import pytest

from components.strings import t
from tests.test_editor_pages import FOCUS, buttons, menu, open_page
from tests.test_editor_pages import store as store  # noqa: F401 - the autouse fixture: a store of its own

PICK = "sodertalje.sod_N|ENK_TRYGG_OMRADE"


@pytest.mark.parametrize("who", [None, "lasare", "ansvarig-telge"])
def test_the_targets_page_is_for_a_redaktor_only(who):
    at = open_page(None, who=who)
    assert t("page_targets") not in menu(at)
    at = open_page("mal", who=who)
    assert [e.value for e in at.error] == [t("targets_refused" if who else "targets_refused_anonymous")]
    assert t("targets_save") not in buttons(at) and not at.number_input


def test_a_redaktor_sets_a_target_and_another_session_sees_it_on_the_focus_page():
    assert t("page_targets") in menu(open_page(None, who="redaktor-0181"))
    at = open_page("mal", who="redaktor-0181")
    assert at.title[0].value == t("targets_title") and not at.error
    at.selectbox(key="targets_pick").set_value(PICK).run()
    assert t("targets_current_none") in [m.value for m in at.markdown]
    key = PICK.replace("|", "_")
    at.number_input(key=f"targets_value_{key}").set_value(90.0)
    at.number_input(key=f"targets_year_{key}").set_value(2030)
    at.run()
    assert at.button(key="targets_save").disabled  # no decision given yet
    at.text_input(key=f"targets_source_{key}").input("KF 2025-03-24 § 41").run()
    problems = [w.value for w in at.warning if not w.value.startswith("**Demodata.**")]
    assert not problems, problems
    at.button(key="targets_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (saved,) = [s.value for s in at.success]
    assert saved.startswith("Målet för ") and saved.endswith("är sparat och gäller nu på översikten och fokussidan.")
    current = " ".join(m.value for m in at.markdown)
    assert "90 % år 2030" in current and "KF 2025-03-24 § 41" in current and "redaktor-0181@example.se" in current
    history = at.dataframe[0].value
    assert list(history[t("targets_col_source")]) == ["KF 2025-03-24 § 41"]

    # Another session, not signed in, on the focus page: the target under the trend, with its decision.
    other = open_page(FOCUS, ind="ENK_TRYGG_OMRADE")
    html = " ".join(h.proto.body for h in other.get("html")).replace("\u00a0", " ")
    start = html.find("Strategins mål")
    assert start > 0 and "90 % år 2030" in html and "Målet: KF 2025-03-24 § 41." in html, html[start - 200:start + 900]
    assert "Satt i appen av redaktor-0181@example.se" in html


def test_the_audit_trail_names_what_an_event_concerns():
    """Names, not codes, in the audit table: an indicator by its short title, an action by its number."""
    from components.notes_editor import _target_name

    assert _target_name("ENK_TRYGG_OMRADE") not in ("", "ENK_TRYGG_OMRADE")
    assert _target_name("sodertalje.sod_6/1") == "åtgärd 6.1"
    assert _target_name("enkat.csv") == "enkat.csv" and _target_name(None) == ""
