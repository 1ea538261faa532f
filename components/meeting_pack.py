"""The "Mötesunderlag" download in the sidebar of the overview and the focus pages: the meeting pack for
the view on screen, as PowerPoint or PDF. The page hands over the builder (``report.build_pack``), so this
component only draws."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components import changes, presentation
from components.strings import t
from services import presentation as pres
from services.context import ViewContext

FORMAT_LABELS = {"pptx": "pack_format_pptx", "pdf": "pack_format_pdf"}
MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf"}


def sidebar(ctx: ViewContext, build: Callable[..., bytes], file_name: Callable[..., str],
            focus_ids: list[str] | None = None) -> None:
    scope = "-".join(focus_ids) if focus_ids else "alla"
    with st.sidebar:
        st.markdown(f"**{t('pres_start')}**")
        st.caption(t("pres_help"))
        first = pres.first_slide_of(pres.slides(ctx.strategy.id, changes.count(ctx)),
                                    focus_ids[0] if focus_ids else None)
        st.button(t("pres_start"), key=f"w_pres_start_{scope}", on_click=presentation.start, args=(first,),
                  icon=":material/co_present:")
        st.markdown(f"**{t('pack_heading')}**")
        st.caption(t("pack_help_focus") if focus_ids else t("pack_help_all"))
        fmt = st.radio(t("pack_format"), list(FORMAT_LABELS), format_func=lambda k: t(FORMAT_LABELS[k]),
                       horizontal=True, key=f"w_pack_fmt_{scope}")
        if st.button(t("pack_prepare"), key=f"w_pack_make_{scope}", icon=":material/slideshow:"):
            with st.spinner(t("pack_making")):
                data = build(ctx, fmt, focus_ids)
            st.download_button(t("pack_download", fmt=t(FORMAT_LABELS[fmt])), data,
                               file_name=file_name(ctx, fmt, focus_ids), mime=MIME[fmt],
                               key=f"w_pack_dl_{scope}", icon=":material/download:", on_click="ignore")
