"""The app as ``make run`` starts it (scripts/serve.py), spoken to over Streamlit's websocket like a
browser: the very first session after a start may open a deep link without a "Page not found"."""

from __future__ import annotations

import asyncio

import pytest

from tests.browser_util import running_app, ws_session


@pytest.mark.slow
def test_first_session_after_start_opens_a_deep_link(app_store):
    with running_app(str(app_store)) as base:
        _, _, kinds = asyncio.run(ws_session(base, "trygghet", "kommun=1287"))
    assert "page_not_found" not in kinds
    assert kinds.count("delta") > 10 and "navigation" in kinds  # the page itself was drawn
