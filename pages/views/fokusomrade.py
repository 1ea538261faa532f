"""One focus area of the strategy; app.py binds which one (ViewContext.focus_area_id)."""

from components import focus
from services.context import ViewContext


def page(ctx: ViewContext) -> None:
    focus.render(ctx)
