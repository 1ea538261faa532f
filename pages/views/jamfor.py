"""Jämför kommuner: one indicator across municipalities."""

from components import compare, filters

compare.render(filters.current())
