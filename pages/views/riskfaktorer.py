"""Risk- och skyddsfaktorer: where the municipality or district stands on each factor."""

from components import risk
from services.context import ViewContext


def page(ctx: ViewContext) -> None:
    risk.render(ctx)
