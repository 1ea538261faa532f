"""Översikt: the strategy at a glance."""

from components import filters, overview

overview.render(filters.current())
