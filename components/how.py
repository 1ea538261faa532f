"""'Hur vet vi det?': the method behind a plain answer, one click away (a Streamlit popover), so that no page
shows a method name or a p-value outside it and the Data page."""

from __future__ import annotations

import streamlit as st

from components.strings import t


def popover(*texts: str, key: str | None = None) -> None:
    """A 'Hur vet vi det?' button that opens the texts (empty ones are skipped; nothing is drawn without any)."""
    texts = tuple(x for x in texts if x)
    if not texts:
        return
    with st.popover(t("how_title"), type="tertiary", key=key):
        for x in texts:
            st.markdown(x)
        st.caption(t("how_data_page"))
