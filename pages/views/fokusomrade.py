"""One focus area of the strategy; app.py binds which one (ViewContext.focus_area_id)."""

from components import focus, meeting_pack
from report import build_pack, file_name
from services.context import ViewContext


def page(ctx: ViewContext) -> None:
    focus.render(ctx)
    meeting_pack.sidebar(ctx, build_pack, file_name, [ctx.focus_area_id] if ctx.focus_area_id else None)
