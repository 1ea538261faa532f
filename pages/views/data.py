"""Data och definitioner: catalogue, provenance, downloads."""

from components import data_page, filters

data_page.render(filters.current())
