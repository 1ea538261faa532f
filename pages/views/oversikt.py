"""Översikt: the strategy at a glance."""

from components import meeting_pack, overview
from report import build_pack, file_name
from services.context import ViewContext


def page(ctx: ViewContext) -> None:
    overview.render(ctx)
    meeting_pack.sidebar(ctx, build_pack, file_name, None)
