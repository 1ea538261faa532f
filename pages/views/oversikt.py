"""Översikt: the strategy at a glance."""

from components import overview
from services.context import ViewContext


def page(ctx: ViewContext) -> None:
    overview.render(ctx)
