"""Data och definitioner: the indicator catalogue, the store's provenance and downloads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from components import layout
from components.strings import t
from services import catalogue as cat
from services import indicators as svc
from services.filters import Filters
from services.rounding import series_half_away
from services.store import get_store_info, per_store, q

POLARITY = {"higher_better": "högre är bättre", "lower_better": "lägre är bättre", "neutral": "neutral"}
SOURCE = {"kolada": "Kolada", "scb": "SCB", "local_survey": "lokal enkät", "local_register": "lokalt register"}


@per_store
def catalogue_frame() -> pd.DataFrame:
    """The catalogue as the Data page shows it (built once per store; callers must not change it)."""
    return _catalogue_frame()


@per_store
def catalogue_csv(is_demo: bool) -> bytes:
    return svc.to_csv_bytes(catalogue_frame(), is_demo)


def _catalogue_frame() -> pd.DataFrame:
    ind = cat.indicators().reset_index(drop=True)
    cov = cat.coverage()
    last = cov.sort_values("fetched_at").groupby("indicator_id").agg(
        fetched_at=("fetched_at", "last"), source=("source", "last"), is_demo=("is_demo", "max"),
        first_year=("first_year", "min"), last_year=("last_year", "max")).reset_index()
    df = ind.merge(last, left_on="id", right_on="indicator_id", how="left")
    brk = cat.series_breaks()
    brk_text = (brk.assign(t=brk["year"].astype(str) + ": " + brk["description"]
                           + (" (gäller " + brk["areas"].fillna("") + ")").where(brk["areas"].notna(), ""))
                .groupby("indicator_id")["t"].agg(" · ".join))
    notes = q("method_notes")
    methods = notes.groupby("indicator_id")["text"].agg(lambda x: " · ".join(dict.fromkeys(x)))
    return pd.DataFrame({
        "Id": df["id"], "Indikator": df["title"], "Kort namn": df["short_title"],
        "Definition": df["definition"], "Enhet": df["unit"],
        "Polaritet": df["polarity"].map(POLARITY), "Könsuppdelad": df["gender_split"].map({1: "ja", 0: "nej"}),
        "Källa": df["source_name"], "Källans id": df["source_id"].fillna(""),
        "Typ": df["kind"].map({"register": "register", "survey": "enkät"}),
        "Undertryckning": [f"färre än {int(t)} svarande visas som .." if pd.notna(t) else "enligt källan"
                           for t in df["suppression_threshold"]],
        "Åldersgrupp": df["age_group"].fillna(""),
        "Nivåer": df["levels"].str.replace("country", "riket").str.replace("county", "län")
        .str.replace("municipality", "kommun").str.replace("district", "delområde"),
        "Senast hämtad": df["fetched_at"].fillna("").str[:10],
        "Hämtad från": df["source_y"].fillna("") if "source_y" in df else "",
        "År": [f"{int(a)}–{int(b)}" if pd.notna(a) else "" for a, b in zip(df["first_year"], df["last_year"], strict=True)],
        "Seriebrott": df["id"].map(brk_text).fillna(""),
        "Metod per område": df["id"].map(methods).fillna(""),
        "Demodata": df["is_demo"].map({1: "ja – syntetiska värden", 0: "nej"}).fillna(""),
    })


def render(f: Filters) -> None:
    info = get_store_info()
    st.title("Data och definitioner", anchor=False)
    tab_cat, tab_prov, tab_methods, tab_rules, tab_dl = layout.lazy_tabs(
        ["Indikatorkatalog", "Datakällor och körningar", "Så bedömer vi förändringar", "Röjandeskydd",
         "Ladda ner"], key="w_data_tab")
    with tab_methods:
        if layout.is_open(tab_methods):
            st.markdown(t("methods"))
    with tab_rules:
        if layout.is_open(tab_rules):
            thresholds = cat.indicators()["suppression_threshold"].dropna()
            st.markdown(t("disclosure_rules", threshold=int(thresholds.mode().iloc[0]) if len(thresholds) else 10))
    with tab_cat:
        if layout.is_open(tab_cat):
            catalogue = catalogue_frame()
            st.markdown(f"{len(catalogue)} indikatorer. Sök genom att klicka i tabellen och skriva.")
            st.dataframe(catalogue, hide_index=True, width="stretch", height=520)
    with tab_prov:
        if layout.is_open(tab_prov):
            st.markdown(f"Databasens schemaversion: **{info.schema_version}** · byggd **{info.built_at[:16].replace('T', ' ')} UTC**"
                        + (" · **demodatabas**" if info.is_demo else ""))
            prov = q("provenance")
            st.dataframe(pd.DataFrame({
                "Körning": prov["run_id"], "Typ": prov["kind"], "Kommando": prov["command"],
                "Start": prov["started_at"], "Klar": prov["finished_at"], "Status": prov["status"],
                "Källa": prov["source"], "Vad": prov["what"], "Hämtad": prov["fetched_at"], "Rader": prov["rows"],
                "Demo": prov["is_demo"].map({1: "ja", 0: "nej"}), "Not": prov["note"],
            }), hide_index=True, width="stretch")
    with tab_dl:
        if layout.is_open(tab_dl):
            s = cat.strategy_for(f.kommun)
            st.markdown(f"Ladda ner katalogen, och alla indikatorvärden för **{s.municipality}** med jämförelser.")
            st.download_button("Indikatorkatalog (CSV)", catalogue_csv(info.is_demo),
                               file_name="indikatorkatalog.csv", mime="text/csv", icon=":material/download:")
            if st.button("Förbered Excel-fil med alla värden", key="prep_xlsx"):
                values = _all_values(f)
                st.download_button("Ladda ner Excel", svc.to_xlsx_bytes(
                    {"Värden": values, "Indikatorer": catalogue_frame()}, info.is_demo),
                    file_name=f"indikatorer_{f.kommun}.xlsx", icon=":material/download:",
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _all_values(f: Filters) -> pd.DataFrame:
    s = cat.strategy_for(f.kommun)
    comparison = svc.resolve_comparison(f)
    ind = cat.indicators()
    areas = tuple(dict.fromkeys((f.kommun, *comparison.area_ids)))
    vals = q("area_values", area_ids=areas, indicator_ids=tuple(ind["id"]), year_from=f.fran, year_to=f.till)
    names = dict(zip(cat.municipalities()["id"], cat.municipalities()["name"], strict=True)) | {"0000": "Riket", s.county_id: s.county}
    decs = vals["indicator_id"].map(ind["decimals"]).fillna(1).astype(int)
    fetches = q("provenance").dropna(subset=["fetch_id"]).drop_duplicates("fetch_id").set_index("fetch_id")
    fetch = fetches.reindex(vals["fetch_id"].astype(float).to_numpy())
    return pd.DataFrame({
        "Indikator-id": vals["indicator_id"], "Indikator": vals["indicator_id"].map(ind["title"]),
        "Område": vals["area_id"].map(names).fillna(vals["area_id"]), "Områdeskod": vals["area_id"],
        "År": vals["year"], "Kön": vals["gender"], "Värde": series_half_away(vals["value"], decs),
        "Status": vals["status"].map({"ok": "ok", "suppressed": "..", "missing": "saknas"}),
        "Antal svarande": vals["n"], "KI nedre": series_half_away(vals["ci_low"], decs),
        "KI övre": series_half_away(vals["ci_high"], decs),
        # Every value's own source, fetch date and demo mark (a workbook travels without the app).
        "Källa": fetch["source"].to_numpy(), "Hämtad": fetch["fetched_at"].astype(str).str[:10].to_numpy(),
        "Demodata": np.where(fetch["is_demo"].to_numpy() == 1, svc.DEMO_MARK, ""),
    })
