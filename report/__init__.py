"""The meeting pack (Mötesunderlag): the follow-up of a strategy as PowerPoint or PDF, from the same view
state as the app (municipality, comparison, years, district, gender). ``python -m report`` makes it from
the command line; the overview and every focus page offer it as a download.

    build_pack(ctx, "pptx", focus_ids=None) -> bytes
"""

from __future__ import annotations

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


def file_name(ctx: ViewContext, fmt: str, focus_ids: list[str] | None = None) -> str:
    from components.layout import slug

    part = f"_{'-'.join(focus_ids)}" if focus_ids else ""
    demo = "_DEMODATA" if ctx.store.is_demo else ""
    return f"motesunderlag_{slug(ctx.strategy.municipality)}{part}{demo}.{FORMATS[fmt][1]}"
