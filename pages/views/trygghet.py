"""Trygghet per delområde: district map, legend and ranked table."""

from components import district_map, filters

district_map.render(filters.current())
