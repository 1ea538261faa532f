"""Trygghet per delområde: a choropleth of a district-level indicator with year and gender selectors,
a legend, a ranked table as the accessible alternative, and the chosen district as the global filter."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import filters, fmt, indicator_block, maps
from components.strings import gender_label, t
from services import catalogue as cat
from services import indicators as svc
from services.filters import Filters
from services.store import get_store_info, q

DEFAULT_INDICATOR = "ENK_TRYGG_OMRADE"


def district_indicators() -> pd.DataFrame:
    ind = cat.indicators()
    return ind[ind["levels"].str.contains("district")]


def legend_html(entries: list[dict]) -> str:
    rows = "".join(
        f"<li><span style='display:inline-block;width:1.1em;height:1.1em;background:{e['colour']};"
        f"border:1px solid #3C3C3C;margin-right:0.4em;vertical-align:middle'></span>{html.escape(e['label'])}</li>"
        for e in entries)
    return f"<ul aria-label='Teckenförklaring' style='list-style:none;padding-left:0'>{rows}</ul>"


def render(f: Filters) -> None:
    s = cat.strategy_for(f.kommun)
    st.title(f"Trygghet per delområde – {s.municipality}", anchor=False)
    dist = cat.main_districts(f.kommun)
    inds = district_indicators()
    if dist.empty or inds.empty:
        st.info("Det finns inga delområden eller delområdesindikatorer för kommunen i databasen.")
        return
    default = DEFAULT_INDICATOR if DEFAULT_INDICATOR in inds.index else inds.index[0]
    c1, c2, c3, c4 = st.columns([3, 1, 1, 1])
    ind_id = c1.selectbox("Indikator", list(inds.index), index=list(inds.index).index(default),
                          format_func=lambda i: inds.loc[i, "short_title"], key="w_map_ind")
    meta = inds.loc[ind_id]
    main_ids = set(dist["id"])
    dist, system = _level_for(f.kommun, ind_id, dist)
    years_df = q("series", indicator_id=ind_id, area_ids=tuple(dist["id"]), year_from=1900, year_to=2100)
    years = sorted(years_df["year"].unique(), reverse=True)
    if not years:
        st.info(f"Det finns inga värden för {meta['short_title']} per delområde.")
        return
    year = c2.selectbox("År", years, key="w_map_year")
    genders = ["T", "K", "M"] if meta["gender_split"] else ["T"]
    gender = c3.selectbox("Kön", genders, format_func=lambda g: gender_label(g, meta["gender_labels"]),
                          key="w_map_gender")
    basemap = c4.toggle("Bakgrundskarta", value=False,
                        help="Hämtar kartbakgrund från internet; av som standard eftersom många nät blockerar den.")
    vals = q("district_values", indicator_id=ind_id, municipality_id=f.kommun, district_system=system,
             year=int(year), gender=gender)
    dec, unit = int(meta["decimals"]), meta["unit"]
    if system == "DeSO":
        st.info("Indikatorn visas per DeSO: källan har inga egna värden per RegSO, och RegSO-värden räknas "
                "inte fram ur DeSO-värden (SCB:s delområdesstatistik har slumpmässigt brus, så delarna "
                "summerar inte till helheten).")
    deck, breaks = _district_deck(ind_id, f.kommun, system, int(year), gender, f.omrade, basemap,
                                  get_store_info().version_key)

    left, right = st.columns([3, 2])
    with left:
        event = st.pydeck_chart(deck, height=560, on_select="rerun", selection_mode="single-object",
                                key="district_map")
        st.html(legend_html(maps.legend_entries(breaks, dec, unit, meta["polarity"] == "lower_better")))
        picked = _picked(event)
        # The map keeps its selection across reruns; act only when the user picks something new.
        if picked and picked in main_ids and picked != st.session_state.get("_last_map_pick"):
            st.session_state["_last_map_pick"] = picked
            if picked != f.omrade:
                filters.update(omrade=picked)
                st.rerun()
    merged = dist.merge(vals.rename(columns={"is_demo": "value_is_demo"}), left_on="id", right_on="area_id",
                        how="left")
    merged["status"] = merged["status"].fillna("missing")
    ok = merged[merged["status"] == "ok"].sort_values("value", ascending=meta["polarity"] == "lower_better")
    with right:
        st.subheader("Rangordning", anchor=False)
        ranked = pd.concat([ok, merged[merged["status"] != "ok"]])
        survey = meta["kind"] == "survey"
        table = pd.DataFrame({
            "Delområde": ranked["name"],
            f"Värde ({unit})": [fmt.cell(v, s_, dec) for v, s_ in zip(ranked["value"], ranked["status"], strict=True)],
        })
        if survey:  # register statistics have neither respondents nor a sampling interval
            table["95 % KI"] = [f"{fmt.number(lo, dec)}–{fmt.number(hi, dec)}" if st_ == "ok" and pd.notna(lo)
                                else "" for lo, hi, st_ in zip(ranked["ci_low"], ranked["ci_high"], ranked["status"],
                                                               strict=True)]
            table["Antal svarande"] = [fmt.number(n, 0) if st_ == "ok" and pd.notna(n) else fmt.MISSING
                                       for n, st_ in zip(ranked["n"], ranked["status"], strict=True)]
        table["Källa"] = [svc.source_label(s, t, d) if isinstance(s, str) else ""
                          for s, t, d in zip(ranked["source"], ranked["fetched_at"], ranked["value_is_demo"],
                                                     strict=True)]
        st.dataframe(table, hide_index=True, width="stretch", height=480)
        if survey:
            st.caption("`..` = undertryckt (färre än "
                       f"{indicator_block._threshold(meta)} svarande, eller dolt för att skydda ett annat "
                       "område) · `–` = inga svarande/uppgift saknas.")
        else:
            st.caption(f"Källa: {meta['source_name']}. `..` = skyddat av källan · `–` = uppgift saknas.")
        for _, b in cat.series_breaks(ind_id).iterrows():
            st.caption(t("series_break", year=int(b["year"]), text=b["description"]))
    n_sup = int((merged["status"] == "suppressed").sum())
    best, worst = (ok.iloc[0], ok.iloc[-1]) if len(ok) else (None, None)
    summary = (f"{meta['short_title']} {year}, {gender_label(gender, meta['gender_labels']).lower()}: "
               f"{len(ok)} av {len(merged)} delområden har ett publicerat värde")
    if best is not None:
        top, bottom = (best, worst) if meta["polarity"] != "lower_better" else (worst, best)
        summary += (f"; högst {top['name']} ({fmt.with_unit(top['value'], dec, unit)}), "
                    f"lägst {bottom['name']} ({fmt.with_unit(bottom['value'], dec, unit)})")
        separate = pd.notna(top["ci_low"]) and pd.notna(bottom["ci_high"]) and top["ci_low"] > bottom["ci_high"]
        if len(ok) > 1 and meta["polarity"] != "neutral":
            summary += (f" – {best['name']} säkert bättre än {worst['name']} (intervallen överlappar inte)"
                        if separate else " – skillnaden mellan dem är inte säkerställd"
                        if pd.notna(top["ci_low"]) else " – ej testad (inga konfidensintervall)")
    summary += f"; {n_sup} undertryckta."
    st.markdown(summary)
    main = cat.main_districts(f.kommun)
    names = dict(zip(main["id"], main["name"], strict=True))
    options = [""] + list(main["id"])
    filters.set_widget("w_map_district", f.omrade if f.omrade in options else "")
    st.selectbox("Välj delområde som filter för de andra sidorna", options,
                 format_func=lambda k: names.get(k, "Hela kommunen"), key="w_map_district",
                 on_change=filters.bind("w_map_district", "omrade"))
    if f.omrade:
        st.success(f"Delområdet **{names.get(f.omrade, f.omrade)}** är valt som filter; de andra sidorna visar "
                   "dess värden där indikatorn finns per delområde.")
    if meta["source"] != "scb" and bool(dist["is_demo"].any()):
        st.caption("Delområdena är genererade demoområden, inte verkliga gränser.")


@st.cache_resource(max_entries=128, show_spinner=False)
def _district_deck(ind_id: str, kommun: str, system: str, year: int, gender: str, selected: str | None,
                   basemap: bool, version_key: str) -> tuple:
    """The district choropleth for one indicator/year/gender, its JSON written once (maps.frozen)."""
    meta = district_indicators().loc[ind_id]
    dist = cat.districts(kommun)
    dist = dist[dist["district_system"] == system]
    vals = q("district_values", indicator_id=ind_id, municipality_id=kommun, district_system=system,
             year=year, gender=gender)
    fc, breaks = maps.feature_collection(dist, vals, int(meta["decimals"]), meta["unit"], selected=selected)
    labels = maps.labels_frame(dist, vals)
    deck = maps.choropleth(fc, labels, maps.view_for(list(dist["geometry"])), basemap=basemap)
    return maps.frozen(deck), breaks


def _level_for(kommun: str, ind_id: str, main: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The main districts, or DeSO where the indicator has values per DeSO only (never derived)."""
    system = main["district_system"].iloc[0]
    if q("series", indicator_id=ind_id, area_ids=tuple(main["id"]), year_from=1900, year_to=2100).empty:
        all_d = cat.districts(kommun)
        deso = all_d[all_d["district_system"] == "DeSO"]
        if not deso.empty and not q("series", indicator_id=ind_id, area_ids=tuple(deso["id"]),
                                    year_from=1900, year_to=2100).empty:
            return deso, "DeSO"
    return main, system


def _picked(event) -> str | None:
    try:
        objects = event.selection["objects"]
    except (AttributeError, KeyError, TypeError):
        return None
    for layer_objects in objects.values():
        for obj in layer_objects:
            props = obj.get("properties", obj)
            if "id" in props:
                return props["id"]
    return None
