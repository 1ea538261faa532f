"""Components: pure chart/map/table builders (data in, spec out) and thin render functions."""
