"""The presentation's slides, in the meeting pack's order: a title, then for each focus area its summary
followed by one slide per goal indicator, and the methods last. Only the list is made here; each slide is
drawn when it is shown (``components/presentation.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from services import catalogue as cat
from services.store import per_store

TITLE, SINCE, FOCUS, INDICATOR, METHODS = "title", "since", "focus", "indicator", "methods"
# A focus area's summary rows per screen: more would push the table below a 1280×720 projector's edge.
ROWS_PER_SCREEN = 4
SINCE_ROWS_PER_SCREEN = 6  # "Nytt sedan …" figures per screen


@dataclass(frozen=True)
class Slide:
    kind: str
    focus_area_id: str | None = None
    indicator_id: str | None = None
    label: str = ""  # the indicator as the strategy names it
    goal: str = ""  # "Mål 1.1. …"
    goal_id: str | None = None
    rows: tuple[int, int] = (0, 0)  # a focus summary's rows [from, to) on this screen
    part: tuple[int, int] = (1, 1)  # (this part, parts) of a focus summary longer than one screen


@per_store
def slides(strategy_id: str, since_rows: int | None = None) -> tuple[Slide, ...]:
    """The slides (once per store build and arguments: a tuple of frozen slides); with ``since_rows`` (the number of figures new or revised since the view's "Nytt sedan …"
    day, 0 for none) the list follows the title, as in the meeting pack."""
    out = [Slide(TITLE)]
    if since_rows is not None:
        parts = max(1, -(-since_rows // SINCE_ROWS_PER_SCREEN))
        out += [Slide(SINCE, rows=(k * SINCE_ROWS_PER_SCREEN, (k + 1) * SINCE_ROWS_PER_SCREEN), part=(k + 1, parts))
                for k in range(parts)]
    gi = cat.goal_indicators(strategy_id)
    for fa in cat.focus_areas(strategy_id).itertuples():
        part = gi[gi["focus_area_id"] == fa.id]
        parts = max(1, -(-len(part) // ROWS_PER_SCREEN))
        per = max(1, -(-len(part) // parts))  # the rows shared evenly: 5 rows as 3 + 2, not 4 + a lone 1
        for k in range(parts):
            out.append(Slide(FOCUS, fa.id, rows=(k * per, (k + 1) * per), part=(k + 1, parts)))
        seen = set()
        for r in part.itertuples():
            if r.indicator_id in seen:
                continue
            seen.add(r.indicator_id)
            out.append(Slide(INDICATOR, fa.id, r.indicator_id, r.label or r.short_title,
                             f"Mål {r.goal_code}. {r.goal_title}", r.goal_id))
    out.append(Slide(METHODS))
    return tuple(out)


def first_slide_of(all_slides: tuple[Slide, ...], focus_area_id: str | None) -> int:
    """The number (1-based) of a focus area's summary slide; 1 (the title) for the whole strategy."""
    for i, s in enumerate(all_slides, start=1):
        if s.kind == FOCUS and s.focus_area_id == focus_area_id:
            return i
    return 1
