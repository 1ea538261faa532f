"""The app as ``make run`` starts it (scripts/serve.py), spoken to over Streamlit's websocket like a
browser: the very first session after a start may open a deep link without a "Page not found"."""

from __future__ import annotations

import asyncio

from tests.browser_util import running_app


async def _first_session(base: str, page: str, query: str) -> list[str]:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    kinds = []
    async with websockets.connect(base.replace("http://", "ws://") + "/_stcore/stream", max_size=None) as conn:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        await conn.send(msg.SerializeToString())
        while not kinds or kinds[-1] != "script_finished":
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(conn.recv(), timeout=120))
            kinds.append(fm.WhichOneof("type"))
            if kinds[-1] == "delta" and fm.delta.new_element.WhichOneof("type") == "exception":
                raise AssertionError(fm.delta.new_element.exception.message)
    return kinds


def test_first_session_after_start_opens_a_deep_link(app_store):
    with running_app(str(app_store)) as base:
        kinds = asyncio.run(_first_session(base, "trygghet", "kommun=1287"))
    assert "page_not_found" not in kinds
    assert kinds.count("delta") > 10 and "navigation" in kinds  # the page itself was drawn
