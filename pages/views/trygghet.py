"""Trygghet per delområde: district map, legend and ranked table."""

from components import district_map
from services.context import ViewContext


def page(ctx: ViewContext) -> None:
    district_map.render(ctx)
