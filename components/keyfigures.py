"""Key figures as text that wraps instead of being cut: a label, the value large (its unit smaller beside
it) and the verdict on a line of its own. st.metric draws each of these on one line and cuts what does not
fit with an ellipsis ("±0,0 procenten…" in a quarter of a 1280 px page), so the indicator block and the
presentation draw the figures here, as a description list a screen reader reads as label → value."""

from __future__ import annotations

import html
import re

# A number as fmt writes it (sign, thousands separated by a no-break space, decimal comma), then its unit.
_NUMBER_UNIT = re.compile(r"^([+\u2212±-]?\d+(?:\u00a0\d{3})*(?:,\d+)?)\u00a0(.+)$")

CSS = """<style>
dl.kf {display: grid; grid-template-columns: repeat(auto-fit, minmax(10.5rem, 1fr)); gap: 0.6rem 1.2rem;
  margin: 0.2rem 0 0.8rem 0; padding: 0;}
dl.kf > div {min-width: 0;}
dl.kf dt {font-size: 0.875rem; color: #4A4A4A; font-weight: 400; margin: 0; line-height: 1.3;
  white-space: normal; overflow-wrap: normal; hyphens: manual;}
dl.kf dd {margin: 0;}
dl.kf dd.v {font-size: 1.75rem; font-weight: 600; line-height: 1.2; color: #1B1B1B; white-space: normal;
  font-variant-numeric: tabular-nums;}
dl.kf dd.v .u {font-size: 0.55em; font-weight: 600; white-space: normal;}
dl.kf dd.n {font-size: 0.875rem; color: #1B1B1B; line-height: 1.3; white-space: normal;}
dl.kf.slide {grid-template-columns: 1fr; gap: 0.9rem;}
dl.kf.slide dt, dl.kf.slide dd.n {font-size: 0.9rem;}
dl.kf.slide dd.v {font-size: 1.6rem;}
</style>"""


def value_html(value: str) -> str:
    """'−10 procentenheter' → the number, then the unit in smaller type (it may wrap to its own line)."""
    m = _NUMBER_UNIT.match(value)
    if not m:
        return html.escape(value)
    return f"{html.escape(m.group(1))} <span class='u'>{html.escape(m.group(2))}</span>"


def html_block(figures, slide: bool = False) -> str:
    """``figures``: objects with ``label``, ``value`` and ``note`` (indicator_block.Figure)."""
    items = []
    for fig in figures:
        note = f"<dd class='n'>{html.escape(fig.note)}</dd>" if fig.note else ""
        items.append(f"<div><dt>{html.escape(fig.label)}</dt><dd class='v'>{value_html(fig.value)}</dd>{note}</div>")
    return f"{CSS}<dl class='kf{' slide' if slide else ''}'>{''.join(items)}</dl>"
