"""The sidebar filters: drawn on every page by app.py, kept in session state (not in widget keys)
and mirrored in the URL so that a copied link opens the same view."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components.strings import t
from services import catalogue as cat
from services import changes as since
from services.changes import DEMO_NOTE
from services.context import ViewContext, valid_sets
from services.filters import GENDERS, MAX_LIST, Filters, parse

STATE = "_filters"
# How the link parameters are named to users.
PARAM_NAMES = {"kommun": "kommun", "jmf": "jämförelse (jmf)", "lista": "kommunlista (lista)",
               "omrade": "delområde (omrade)", "fran": "från år (fran)", "till": "till år (till)",
               "kon": "kön (kon)", "ind": "indikator (ind)",
               "visning": "visning", "bild": "bild i presentationen (bild)", "sedan": "nytt sedan (sedan)",
               "kommuner": "kommuner i diagrammet (kommuner)"}
NOTICES = "_notices"


def plain(value: str, limit: int = 40) -> str:
    """A value from a link, safe inside a markdown code span: no backticks, no line breaks or other control
    characters (a blank line would end the span and let the link add markdown: images, links)."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value)).replace("`", "'")
    return " ".join(text.split())[:limit]


def current() -> Filters:
    """The session's filters; the first run of a session reads them from the URL."""
    if STATE not in st.session_state:
        f, bad = parse(dict(st.query_params), valid_sets())
        st.session_state[STATE] = f
        st.session_state[NOTICES] = [t("bad_param", key=PARAM_NAMES.get(k, k), value=plain(v)) for k, v in bad]
    return st.session_state[STATE]


def update(**changes) -> Filters:
    """Change filters from code (a district picked on the map, an indicator chosen on a page). The
    widgets follow on the next run, when ``_sync_widgets`` writes the new values into their keys."""
    f = replace(current(), **changes)
    st.session_state[STATE] = f
    sync_url(f)
    return f


def sync_url(f: Filters) -> None:
    params = f.to_params()
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def bind(widget_key: str, field: str):
    """An on_change callback that copies a page widget's value into the filter ``field``."""
    def _cb() -> None:
        value = st.session_state[widget_key]
        update(**{field: value or None})
    return _cb


def set_widget(key: str, value) -> None:
    """Drive a widget from the canonical state: its key holds the value, no default is passed.
    (Popping the key would not do: the browser would send its old value back on the next run.)"""
    if st.session_state.get(key) != value:
        st.session_state[key] = value


def _sync_widgets(f: Filters) -> None:
    set_widget("w_kommun", f.kommun)
    set_widget("w_jmf", f.jmf)
    set_widget("w_omrade", f.omrade or "")
    set_widget("w_years", (f.fran, f.till))
    set_widget("w_kon", f.kon)
    set_widget("w_sedan", f.sedan or "")
    if f.jmf == "lista":
        set_widget("w_lista", list(f.lista))


def _on_change(key: str) -> None:
    value = st.session_state[f"w_{key}"]
    f = current()
    if key == "kommun":
        from services.filters import default_filters

        new = default_filters(valid_sets(), value)
        f = replace(new, fran=f.fran, till=f.till, kon=f.kon)
    elif key == "years":
        f = replace(f, fran=int(value[0]), till=int(value[1]))
    elif key == "lista":
        f = replace(f, lista=tuple(value)[:MAX_LIST])
    elif key == "jmf":  # a new comparison group: its own members in Jämför → Utveckling
        f = replace(f, jmf=value, kommuner=None)
    elif key in ("omrade", "sedan"):
        f = replace(f, **{key: value or None})
    else:
        f = replace(f, **{key: value})
    st.session_state[STATE] = f
    sync_url(f)


def _since_label(day: str) -> str:
    if not day:
        return t("filter_since_off")
    return t("filter_since_demo_version", date=day) if since.version_label(day) == DEMO_NOTE else day


def sidebar(ctx: ViewContext) -> Filters:
    """The filters in the sidebar, drawn from the run's resolved scope (its comparisons and districts)."""
    f = ctx.filters
    valid = valid_sets()
    _sync_widgets(f)
    with st.sidebar:
        st.header(t("filter_header"))
        kommuner = list(valid.municipalities)
        st.selectbox(t("filter_municipality"), kommuner, format_func=lambda k: valid.municipalities[k],
                     key="w_kommun", on_change=_on_change, args=("kommun",))
        comps = ctx.comparisons
        keys = [c.key for c in comps] + ["lista"]
        labels = {c.key: c.label for c in comps} | {"lista": t("comparison_list")}
        st.selectbox(t("filter_comparison"), keys, format_func=lambda k: labels[k], key="w_jmf",
                     on_change=_on_change, args=("jmf",))
        chosen = next((c for c in comps if c.key == f.jmf), None)
        if chosen is not None and chosen.is_demo_group:
            st.caption(t("comparison_group_demo_note"))
        if f.jmf == "lista":
            munis = cat.municipalities()
            names = dict(zip(munis["id"], munis["name"], strict=True))
            options = [m for m in munis["id"] if m != f.kommun]
            st.multiselect(t("filter_comparison_list"), options, format_func=lambda m: names.get(m, m),
                           key="w_lista", max_selections=MAX_LIST, on_change=_on_change, args=("lista",))
        dist_ids = [""] + [i for i, _ in ctx.districts]
        dist_names = {"": t("filter_district_all")} | dict(ctx.districts)
        st.selectbox(t("filter_district"), dist_ids, format_func=lambda k: dist_names[k], key="w_omrade",
                     on_change=_on_change, args=("omrade",), disabled=len(dist_ids) == 1)
        lo, hi = valid.years
        st.slider(t("filter_years"), min_value=lo, max_value=hi, key="w_years",
                  on_change=_on_change, args=("years",))
        st.radio(t("filter_gender"), list(GENDERS), format_func=lambda g: t(f"gender_{g}"), key="w_kon",
                 horizontal=True, on_change=_on_change, args=("kon",))
        days = ("", *since.since_options(f.sedan))
        st.selectbox(t("filter_since"), days, key="w_sedan", on_change=_on_change, args=("sedan",),
                     format_func=_since_label,
                     help=t("filter_since_help"), disabled=len(days) == 1)
        if len(days) == 1:
            st.caption(t("filter_since_single"))
    sync_url(f)
    return f
