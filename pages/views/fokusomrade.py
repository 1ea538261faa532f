"""One page per focus area; app.py tells which one through the navigation."""

from components import filters, focus, layout

focus.render(filters.current(), layout.current_focus_area())
