"""Jämför kommuner: one indicator across municipalities."""

from components import compare
from services.context import ViewContext


def page(ctx: ViewContext) -> None:
    compare.render(ctx)
