"""Data och definitioner: catalogue, provenance, downloads."""

from components import data_page
from services.context import ViewContext


def page(ctx: ViewContext) -> None:
    data_page.render(ctx)
