"""The meeting pack (Mötesunderlag): the follow-up of a strategy as PowerPoint or PDF, from the same view
state as the app (municipality, comparison, years, district, gender). ``python -m report`` makes it from
the command line; the overview and every focus page offer it as a download.

    build_pack(ctx, "pptx", focus_ids=None) -> bytes
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily: `python -m report` quiets the libraries' English logs before they load
    from services.context import ViewContext

FORMATS = {"pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
           "pdf": ("application/pdf", "pdf")}


def build_pack(ctx: ViewContext, fmt: str, focus_ids: list[str] | None = None,
               indicator_ids: list[str] | None = None) -> bytes:
    from report.content import build

    pack = build(ctx, focus_ids, indicator_ids)
    if fmt == "pptx":
        from report.slides import to_pptx

        return to_pptx(pack)
    if fmt == "pdf":
        from report.document import to_pdf

        return to_pdf(pack)
    raise ValueError(f"okänt format {fmt!r}: välj pptx eller pdf")


def file_name(ctx: ViewContext, fmt: str, focus_ids: list[str] | None = None, today: date | None = None) -> str:
    """A name a person reads in Downloads or Teams: "Mötesunderlag Trelleborg – Boende och närmiljö
    2026-12-06 (demodata).pdf"; the district's name where one is chosen; no ids."""
    from components.fmt import file_name as readable
    from services import catalogue as cat

    titles = []
    if focus_ids:
        fas = cat.focus_areas(ctx.strategy.id).set_index("id")
        titles = [str(fas.loc[i, "title"]) if i in fas.index else i for i in focus_ids]
    day = (today or date.today()).isoformat()
    head = f"Mötesunderlag {ctx.strategy.municipality}"
    where = ctx.district_name if ctx.district_name else None
    topic = ", ".join(titles)
    return readable(head, where, f"{topic} {day}" if topic else day, ext=FORMATS[fmt][1], demo=ctx.store.is_demo)
