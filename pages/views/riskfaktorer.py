"""Risk- och skyddsfaktorer: where the municipality or district stands on each factor."""

from components import filters, risk

risk.render(filters.current())
