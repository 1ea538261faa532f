"""Data och definitioner: the indicator catalogue, the store's provenance and downloads."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import fmt, layout
from components.strings import t
from services import catalogue as cat
from services import changes as since
from services import data as svc_data
from services import exports
from services.context import ViewContext

CATALOGUE_CSS = """<style>
table.cat {border-collapse: collapse; width: 100%; font-size: 0.9rem; table-layout: fixed;}
table.cat caption {text-align: left; font-weight: 600; padding: 0.3rem 0; color: #1B1B1B;}
table.cat th, table.cat td {border: 1px solid #C9CED6; padding: 0.35rem 0.5rem; vertical-align: top;
  text-align: left; white-space: normal; overflow-wrap: break-word; hyphens: auto;}
table.cat th {background: #F2F4F7; color: #1B1B1B;}
table.cat .small {display: block; color: #4A4A4A; font-size: 0.82rem; margin-top: 0.2rem;}
table.cat td.id {font-family: monospace; font-size: 0.8rem; color: #333333; overflow-wrap: anywhere;}
</style>"""
# Column widths (%): name, definition, unit, source, kind, ids. The definition gets the most room.
CATALOGUE_WIDTHS = (19, 33, 12, 16, 11, 9)


def _small(label: str, text) -> str:
    return f"<span class='small'>{html.escape(label)}: {html.escape(str(text))}</span>" if text else ""


def catalogue_html(df: pd.DataFrame) -> str:
    """Every indicator of the catalogue in one table that grows with its rows (no inner scroll box): the
    name first, the definition in full (wrapped, with series breaks and method notes below it), the ids
    last. The CSV download carries every column."""
    head = "".join(f"<th scope='col'>{html.escape(t(k))}</th>" for k in (
        "data_cat_col_indicator", "data_cat_col_definition", "data_cat_col_unit", "data_cat_col_source",
        "data_cat_col_kind", "data_cat_col_ids"))
    rows = []
    for r in df.to_dict("records"):
        name = html.escape(r["Indikator"]) + (
            _small(t("data_cat_short"), r["Kort namn"]) if r["Kort namn"] != r["Indikator"] else "")
        definition = (html.escape(r["Definition"] or "") + _small(t("data_cat_breaks"), r["Seriebrott"])
                      + _small(t("data_cat_methods"), r["Metod per område"]))
        unit = html.escape(r["Enhet"]) + _small(t("data_cat_polarity"), r["Polaritet"]) + _small(
            t("data_cat_gender"), r["Könsuppdelad"]) + _small(t("data_cat_age"), r["Åldersgrupp"])
        source = html.escape(r["Källa"] or "") + _small(t("data_cat_years"), r["År"]) + _small(
            t("data_cat_fetched"), r["Senast hämtad"]) + _small(t("data_cat_fetched_from"), r["Hämtad från"]) + _small(
            t("data_cat_demo"), r["Demodata"])
        kind = html.escape(r["Typ"] or "") + _small(t("data_cat_suppression"), r["Undertryckning"]) + _small(
            t("data_cat_levels"), r["Nivåer"])
        ids = html.escape(r["Id"]) + (f"<br>{html.escape(r['Källans id'])}" if r["Källans id"] else "")
        rows.append(f"<tr><th scope='row'>{name}</th><td class='def'>{definition}</td><td>{unit}</td>"
                    f"<td>{source}</td><td>{kind}</td><td class='id'>{ids}</td></tr>")
    cols = "".join(f"<col style='width:{w}%'>" for w in CATALOGUE_WIDTHS)
    return (f"{CATALOGUE_CSS}<table class='cat' lang='sv'><caption>{html.escape(t('data_cat_caption', n=len(df)))}"
            f"</caption><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def render(ctx: ViewContext) -> None:
    info = ctx.store
    st.title(t("page_data"), anchor=False)
    tab_cat, tab_prov, tab_methods, tab_rules, tab_dl = layout.lazy_tabs(
        [t("data_tab_catalogue"), t("data_tab_provenance"), t("data_tab_methods"), t("data_tab_disclosure"),
         t("data_tab_download")], key="w_data_tab")
    with tab_methods:
        if layout.is_open(tab_methods):
            st.markdown(t("methods"))
    with tab_rules:
        if layout.is_open(tab_rules):
            st.markdown(t("disclosure_rules", threshold=cat.usual_threshold()))
    with tab_cat:
        if layout.is_open(tab_cat):
            catalogue = svc_data.catalogue_frame()
            st.markdown(t("data_catalogue_intro", n=len(catalogue)))
            st.html(catalogue_html(catalogue))
    with tab_prov:
        if layout.is_open(tab_prov):
            st.markdown(t("data_store_line", version=info.schema_version,
                          built=info.built_at[:16].replace("T", " "),
                          demo=t("data_store_demo") if info.is_demo else ""))
            st.dataframe(svc_data.provenance(), hide_index=True, width="stretch")
            pubs = since.publications()
            st.markdown(t("data_versions", n=len(pubs)))
            st.dataframe(pd.DataFrame({
                t("data_versions_col_day"): pubs["published_at"].map(lambda x: x[:16].replace("T", " ") + " UTC"),
                t("data_versions_col_kind"): pubs["command"],
                t("data_versions_col_note"): pubs["note"].fillna(""),
            }).iloc[::-1], hide_index=True, width="stretch")
    with tab_dl:
        if layout.is_open(tab_dl):
            f = ctx.filters
            st.markdown(t("data_download_intro", municipality=ctx.strategy.municipality))
            st.download_button(t("data_download_catalogue"), svc_data.catalogue_csv(info.is_demo),
                               file_name=fmt.file_name("Indikatorkatalog", ext="csv", demo=info.is_demo), mime="text/csv", icon=":material/download:")
            if st.button(t("data_prepare_xlsx"), key="prep_xlsx"):
                values = svc_data.all_values(f, ctx.strategy, ctx.comparison)
                st.download_button(t("download_xlsx"), exports.to_xlsx_bytes(
                    {"Värden": values, "Indikatorer": svc_data.catalogue_frame()}, info.is_demo),
                    file_name=fmt.file_name(f"Indikatorer {ctx.strategy.municipality}", ext="xlsx",
                                                          demo=info.is_demo), icon=":material/download:",
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
