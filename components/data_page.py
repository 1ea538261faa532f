"""Data och definitioner: the indicator catalogue, the store's provenance and downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import fmt, layout
from components.strings import t
from services import catalogue as cat
from services import changes as since
from services import data as svc_data
from services import indicators as svc
from services.context import ViewContext


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
            st.dataframe(catalogue, hide_index=True, width="stretch", height=520)
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
                st.download_button(t("download_xlsx"), svc.to_xlsx_bytes(
                    {"Värden": values, "Indikatorer": svc_data.catalogue_frame()}, info.is_demo),
                    file_name=fmt.file_name(f"Indikatorer {ctx.strategy.municipality}", ext="xlsx",
                                                          demo=info.is_demo), icon=":material/download:",
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
