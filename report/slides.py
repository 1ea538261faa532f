"""The meeting pack as PowerPoint (python-pptx), 16:9: a title slide, a summary per focus area (split over
several slides where it has many indicators, so the type stays readable from the back of a room), one
slide per indicator with the chart as a picture and its definition in the speaker notes, and a closing
slide on methods. A demo store's pack says DEMODATA on every slide."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from components.strings import t
from report.content import IndicatorPage, Pack

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
ROWS_PER_SLIDE = 6
INK = RGBColor(0x1B, 0x1B, 0x1B)
MUTED = RGBColor(0x4A, 0x4A, 0x4A)
DEMO_RED = RGBColor(0xA1, 0x1D, 0x1D)
FILL = {"better": RGBColor(0xDC, 0xEB, 0xF7), "worse": RGBColor(0xFB, 0xE3, 0xD3),
        "similar": RGBColor(0xED, 0xED, 0xED)}
HEADER_FILL = RGBColor(0xF2, 0xF4, 0xF7)


def to_pptx(pack: Pack) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    _title_slide(prs.slides.add_slide(blank), pack)
    if pack.since is not None:
        _since_slides(prs, blank, pack)
    for section in pack.focus:
        chunks = [section.rows[i:i + ROWS_PER_SLIDE] for i in range(0, len(section.rows), ROWS_PER_SLIDE)] or [[]]
        for n, rows in enumerate(chunks):
            slide = prs.slides.add_slide(blank)
            title = section.title + (f" ({t('pack_continued')} {n + 1}/{len(chunks)})" if len(chunks) > 1 else "")
            _heading(slide, title, section.subtitle or t("pack_summary_subtitle", comparison=pack.comparison))
            _summary_table(slide, rows, pack)
            _footer(slide, pack)
        for page in pack.pages_for(section.id):
            _indicator_slide(prs.slides.add_slide(blank), page, pack)
    _methods_slide(prs.slides.add_slide(blank), pack)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _text(slide, left, top, width, height, text: str, size: int, bold: bool = False, color=INK,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    lines = text.split("\n")
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        run = para.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color
    return box


def _demo_mark(slide, pack: Pack) -> None:
    if pack.is_demo:
        _text(slide, WIDTH - Inches(4.3), Inches(0.12), Inches(4.0), Inches(0.4), t("pack_demo_short"), 14,
              bold=True, color=DEMO_RED, align=PP_ALIGN.RIGHT)


def _heading(slide, title: str, subtitle: str) -> None:
    """The title (smaller when long, so it stays on its line) and a subtitle of at most two lines."""
    size = 30 if len(title) <= 45 else 24 if len(title) <= 60 else 20
    _text(slide, MARGIN, Inches(0.3), WIDTH - 2 * MARGIN - Inches(3.6), Inches(0.9), title, size, bold=True,
          anchor=MSO_ANCHOR.MIDDLE)
    if subtitle:
        short = subtitle if len(subtitle) <= 170 else subtitle[:167].rsplit(" ", 1)[0] + " …"
        _text(slide, MARGIN, Inches(1.22), WIDTH - 2 * MARGIN, Inches(0.6), short, 14, color=MUTED)


def _footer(slide, pack: Pack) -> None:
    line = t("pack_footer", municipality=pack.municipality, strategy=pack.strategy, date=pack.data_date)
    _text(slide, MARGIN, HEIGHT - Inches(0.42), WIDTH - 2 * MARGIN, Inches(0.32), line, 10, color=MUTED)
    _demo_mark(slide, pack)


def _title_slide(slide, pack: Pack) -> None:
    _text(slide, MARGIN, Inches(0.9), WIDTH - 2 * MARGIN, Inches(1.7), pack.strategy,
          40 if len(pack.strategy) <= 40 else 32, bold=True, anchor=MSO_ANCHOR.BOTTOM)
    _text(slide, MARGIN, Inches(2.75), WIDTH - 2 * MARGIN, Inches(0.7),
          f"{pack.title} – {pack.municipality}", 28)
    facts = [t("pack_fact_area", area=pack.area), t("pack_fact_comparison", comparison=pack.comparison),
             t("pack_fact_period", period=pack.period, baseline=pack.baseline_year),
             t("pack_fact_date", date=pack.data_date, built=pack.built_at)]
    _text(slide, MARGIN, Inches(3.7), WIDTH - 2 * MARGIN, Inches(2.0), "\n".join(facts), 20, color=MUTED)
    if pack.is_demo:
        _text(slide, MARGIN, Inches(5.9), WIDTH - 2 * MARGIN, Inches(0.8), t("pack_demo_long"), 20, bold=True,
              color=DEMO_RED)


def _summary_table(slide, rows, pack: Pack) -> None:
    targets = any(r.target for r in rows)
    cols = [t("pack_col_goal"), t("label_indicator"), t("pack_col_latest"), t("pack_col_change"),
            t("pack_col_trend"), t("pack_col_standing", comparison=pack.comparison)] + (
        [t("pack_col_target")] if targets else [])
    widths = [0.7, 3.5, 1.6, 2.5, 2.0, 2.0] + ([2.0] if targets else [])
    top = Inches(1.75)
    shape = slide.shapes.add_table(len(rows) + 1, len(cols), MARGIN, top, WIDTH - 2 * MARGIN,
                                   Inches(0.5) + Inches(0.75) * len(rows))
    table = shape.table
    scale = (WIDTH - 2 * MARGIN) / sum(widths)
    for i, w in enumerate(widths):
        table.columns[i].width = Emu(int(w * scale))
    for j, name in enumerate(cols):
        _cell(table.cell(0, j), name, 14, bold=True, fill=HEADER_FILL)
    for i, r in enumerate(rows, start=1):
        values = [r.goal, r.indicator, r.latest, r.change, r.trend, r.standing] + ([r.target] if targets else [])
        fills = [None, None, None, FILL.get(r.change_css), None, FILL.get(r.standing_css)] + (
            [FILL.get(r.target_css)] if targets else [])
        for j, (value, fill) in enumerate(zip(values, fills, strict=True)):
            _cell(table.cell(i, j), value, 14 if j != 1 else 15, fill=fill or RGBColor(0xFF, 0xFF, 0xFF))


SINCE_ROWS_PER_SLIDE = 7


def _since_slides(prs, layout, pack: Pack) -> None:
    """"Nytt sedan …": the intro and the changed figures, SINCE_ROWS_PER_SLIDE a slide."""
    since = pack.since
    chunks = [since.rows[i:i + SINCE_ROWS_PER_SLIDE] for i in range(0, len(since.rows), SINCE_ROWS_PER_SLIDE)] or [[]]
    for n, rows in enumerate(chunks):
        slide = prs.slides.add_slide(layout)
        title = t("since_heading", date=since.day) + (
            f" ({t('pack_continued')} {n + 1}/{len(chunks)})" if len(chunks) > 1 else "")
        _heading(slide, title, since.intro)
        if rows:
            widths = [4.6, 1.7, 0.8, 1.3, 1.6, 1.6, 1.8, 1.5]
            shape = slide.shapes.add_table(len(rows) + 1, len(since.columns), MARGIN, Inches(1.75),
                                           WIDTH - 2 * MARGIN, Inches(0.45) * (len(rows) + 1))
            table = shape.table
            scale = (WIDTH - 2 * MARGIN) / sum(widths)
            for i, w in enumerate(widths):
                table.columns[i].width = Emu(int(w * scale))
            for j, name in enumerate(since.columns):
                _cell(table.cell(0, j), name, 12, bold=True, fill=HEADER_FILL)
            for i, row in enumerate(rows, start=1):
                for j, value in enumerate(row):
                    _cell(table.cell(i, j), value, 12, fill=RGBColor(0xFF, 0xFF, 0xFF))
        if since.notes:
            _text(slide, MARGIN, HEIGHT - Inches(1.05), WIDTH - 2 * MARGIN, Inches(0.5), " ".join(since.notes), 12,
                  color=MUTED)
        _footer(slide, pack)


def _cell(cell, text: str, size: int, bold: bool = False, fill=None) -> None:
    cell.text = ""
    para = cell.text_frame.paragraphs[0]
    run = para.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, INK
    if fill is not None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill


def _indicator_slide(slide, page: IndicatorPage, pack: Pack) -> None:
    _heading(slide, page.title, page.subtitle)
    top, max_w, max_h = Inches(1.9), Inches(8.6), Inches(3.45)
    if page.chart_png:
        from PIL import Image

        w_px, h_px = Image.open(io.BytesIO(page.chart_png)).size
        width = min(max_w, int(max_h * w_px / h_px))
        chart_w = width
        pic = slide.shapes.add_picture(io.BytesIO(page.chart_png), MARGIN, top, width=width)
        pic.name = "Diagram"
        # The alt text screen readers read for the picture (PowerPoint's "Alternativ text").
        pic._element.nvPicPr.cNvPr.set("descr", page.chart_alt)  # noqa: SLF001 - python-pptx has no API for it
    else:
        chart_w = Inches(6)
        _text(slide, MARGIN, Inches(2.5), chart_w, Inches(1), t("pack_no_chart"), 18, color=MUTED)
    left = MARGIN + chart_w + Inches(0.5)
    width = WIDTH - left - MARGIN
    y = top
    for fig in page.figures:
        _text(slide, left, y, width, Inches(0.3), fig.label, 13, color=MUTED)
        _text(slide, left, y + Inches(0.27), width, Inches(0.45), fig.value, 24 if len(fig.value) <= 14 else 18,
              bold=True)
        if fig.note:
            _text(slide, left, y + Inches(0.72), width, Inches(0.4), fig.note, 12)
        y += Inches(1.17)
    _text(slide, MARGIN, Inches(5.45), WIDTH - 2 * MARGIN, Inches(1.05),
          page.summary, 15)
    _text(slide, MARGIN, Inches(6.55), WIDTH - 2 * MARGIN, Inches(0.4), page.sources, 11, color=MUTED)
    slide.notes_slide.notes_text_frame.text = page.definition
    _footer(slide, pack)


def _methods_slide(slide, pack: Pack) -> None:
    _heading(slide, t("pack_methods_heading"), "")
    _text(slide, MARGIN, Inches(1.4), WIDTH - 2 * MARGIN, Inches(5.2), "\n\n".join(pack.methods), 17)
    _footer(slide, pack)
