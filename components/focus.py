"""One focus area (fokusområde / målområde / strategiskt område): its goals with their indicators,
one indicator in full, and the area's actions."""

from __future__ import annotations

import streamlit as st

from components import filters, indicator_block, tables
from services import catalogue as cat
from services import indicators as svc
from services.filters import Filters


def render(f: Filters, focus_area_id: str | None) -> None:
    s = cat.strategy_for(f.kommun)
    fas = cat.focus_areas(s.id)
    if focus_area_id is None or focus_area_id not in set(fas["id"]):
        st.info("Välj ett område i menyn till vänster.")
        return
    fa = fas.set_index("id").loc[focus_area_id]
    title = f"{fa['code']}. {fa['title']}" if fa["kind"] != "övergripande hållbarhetsmål" else fa["title"]
    st.title(title, anchor=False)
    meta_line = f"{s.municipality} · {s.title}"
    if fa["subtitle"]:
        st.markdown(f"*– {fa['subtitle']}*")
    st.caption(meta_line)
    if f.omrade:
        st.info(f"Delområde valt: **{svc.focus_area_label(f)}**. Indikatorer som finns per delområde visas för "
                "delområdet och jämförs med hela kommunen (markerade i tabellerna); övriga gäller hela kommunen.",
                icon=":material/location_on:")
    if fa["description"]:
        st.markdown(fa["description"])
    if fa["agenda2030"]:
        st.markdown("**Agenda 2030:** " + ", ".join(f"mål {n}" for n in str(fa["agenda2030"]).split(",")))

    comparison = svc.resolve_comparison(f)
    gi = cat.goal_indicators(s.id)
    gi = gi[gi["focus_area_id"] == focus_area_id]
    st.header("Mål och indikatorer", anchor=False)
    for goal_id, rows in gi.groupby("goal_id", sort=False):
        first = rows.iloc[0]
        st.markdown(f"#### Mål {first['goal_code']}. {first['goal_title']}")
        if first["goal_origin"]:
            st.caption(first["goal_origin"])
        st.html(tables.overview_html(f, s.id, s.baseline_year, focus_area_id, goal_id,
                                     f"Indikatorer för mål {first['goal_code']}", comparison.label))

    st.header("Indikator i detalj", anchor=False)
    options = list(dict.fromkeys(gi["indicator_id"]))
    labels = {}
    for r in gi.itertuples():
        labels.setdefault(r.indicator_id, f"{r.goal_code} · {r.label or r.short_title}")
    current = f.ind if f.ind in options else options[0]
    if current != f.ind:
        f = filters.update(ind=current)
    key = f"w_ind_{focus_area_id}"
    filters.set_widget(key, current)
    chosen = st.selectbox("Indikator", options, format_func=lambda i: labels[i][:110], key=key,
                          on_change=filters.bind(key, "ind"))
    label = gi[gi["indicator_id"] == chosen]["label"].dropna()
    indicator_block.render(chosen, f, s.baseline_year, label=label.iloc[0] if not label.empty else None)

    acts = cat.actions(focus_area_id)
    if not acts.empty:
        st.header("Åtgärder", anchor=False)
        for a in acts.itertuples():
            with st.expander(f"{a.code}. {a.title}"):
                st.markdown(a.text or "")
