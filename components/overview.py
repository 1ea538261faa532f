"""Översikt: every focus area, goal and indicator of the strategy on one screen."""

from __future__ import annotations

import streamlit as st

from components import tables
from services import catalogue as cat
from services import indicators as svc
from services.filters import Filters


def render(f: Filters) -> None:
    s = cat.strategy_for(f.kommun)
    comparison = svc.resolve_comparison(f)
    st.title(f"Översikt – {s.municipality}", anchor=False)
    period = "" if f"{s.period_start}–{s.period_end}" in s.title else f" ({s.period_start}–{s.period_end})"
    st.markdown(f"**{s.title}**{period}. Basår för förändring: **{s.baseline_year}**. "
                f"Jämförelse: **{comparison.label}**.")
    if f.omrade:
        st.markdown(f"Delområde: **{svc.focus_area_label(f)}** – indikatorer som finns per delområde visas "
                    "för delområdet och jämförs med hela kommunen; övriga visas för hela kommunen.")
    st.caption(
        "Förbättrad/försämrad, bättre/sämre och ökande/minskande står bara där ett test på 95 % stöder det "
        "(enkätandelar med antal svarande, eller värden med konfidensintervall): ▲ bättre, ▼ sämre, "
        "● ingen säker skillnad. Annars visas skillnaden med sin enhet och ”ej testad”. Trend: de senaste fem "
        "jämförbara mätningarna. Riktningen följer indikatorns polaritet. Ett år inom parentes vid "
        "flickor/pojkar betyder att värdet är från ett annat år än totalen. `..` = undertryckt, `–` = saknas. "
        "Metoderna står på sidan Data och definitioner."
    )
    df = svc.overview_frame(f, s.id, s.baseline_year)
    if df.empty:
        st.info("Strategin har inga indikatorer i databasen.")
        return
    fas = cat.focus_areas(s.id)
    for fa in fas.itertuples():
        part = df[df["focus_area_id"] == fa.id]
        if part.empty:
            continue
        title = f"{fa.code}. {fa.title}" if fa.kind != "övergripande hållbarhetsmål" else fa.title
        st.subheader(title, anchor=False)
        if fa.subtitle:
            st.caption(fa.subtitle)
        st.html(tables.overview_html(f, s.id, s.baseline_year, fa.id, None,
                                     f"{s.focus_area_label} {fa.code}: {len(part)} indikatorer", comparison.label))
