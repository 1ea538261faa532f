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
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, tight: bool = False):
    """A text box; ``tight``: no inner margin above and below (boxes stacked by their measured heights)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    if tight:
        frame.margin_top = frame.margin_bottom = 0
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
    # The chart leaves the key figures a column of at least FIGURES_MIN_WIDTH.
    top, max_w, max_h = Inches(1.9), WIDTH - 2 * MARGIN - Inches(0.5) - FIGURES_MIN_WIDTH, Inches(3.45)
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
    summary_top = Inches(5.45)
    y = top
    for label, value, note, size in _figure_layout(page.figures, width, summary_top - top):
        for text, pt, bold, color in ((label, size[0], False, MUTED), (value, size[1], True, INK),
                                      (note, size[2], False, INK)):
            if text:
                h = _height(text, width, pt, bold, tight=True)
                _text(slide, left, y, width, h, text, pt, bold=bold, color=color, tight=True)
                y += h
        y += FIGURE_GAP
    _text(slide, MARGIN, summary_top, WIDTH - 2 * MARGIN, Inches(1.05), page.summary,
          15 if _height(page.summary, WIDTH - 2 * MARGIN, 15) <= Inches(1.05) else 13)
    _text(slide, MARGIN, Inches(6.55), WIDTH - 2 * MARGIN, Inches(0.4), page.sources, 11, color=MUTED)
    slide.notes_slide.notes_text_frame.text = page.definition
    _footer(slide, pack)


# A text box's inner margins (python-pptx's and PowerPoint's defaults: 0.1 in left and right, 0.05 in top and
# bottom) and the line height PowerPoint gives a font size (single spacing: about 1.2 × the size).
INSET_X, INSET_Y, LEADING = Inches(0.1), Inches(0.05), 1.2
FIGURE_GAP = Inches(0.2)
FIGURES_MIN_WIDTH = Inches(3.8)
# Label, value and note sizes of the key figures beside the chart, largest first: the first that fits the column.
FIGURE_SIZES = ((13, 24, 12), (12, 20, 11), (11, 17, 10), (10, 14, 9))


def _lines(text: str, width: int, size: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a box ``width`` EMU wide at ``size`` pt, wrapped on spaces. Measured in
    DejaVu Sans (the PDF's type), wider than the theme's Calibri, so PowerPoint needs no more lines than this."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from report.document import FONT_DIRS, _fonts

    regular, heavy, _ = _fonts(FONT_DIRS)
    font = heavy if bold else regular
    room = (width - 2 * INSET_X) / Pt(1)
    space = stringWidth(" ", font, size)
    n = 0
    for para in text.split("\n"):
        n, used = n + 1, 0.0
        for word in para.split(" "):
            w = stringWidth(word, font, size)
            if used and used + space + w > room:
                n, used = n + 1, w
            else:
                used += (space if used else 0) + w
    return n


def _height(text: str, width: int, size: float, bold: bool = False, tight: bool = False) -> int:
    """The height in EMU of a text box that holds ``text`` whole (see ``_lines``; ``tight`` as in ``_text``)."""
    return int(_lines(text, width, size, bold) * Pt(size * LEADING) + (0 if tight else 2 * INSET_Y))


def _figure_layout(figures, width: int, room: int):
    """(label, value, note, sizes) per key figure: the largest sizes at which every figure, wrapped whole in the
    column, fits above the summary (a long comparison name such as an own list takes two or three lines)."""
    def value_size(value: str, size: int) -> int:
        return size if len(value) <= 14 else round(size * 0.75)

    for label_s, value_s, note_s in FIGURE_SIZES:
        need = sum(_height(f.label, width, label_s, tight=True)
                   + _height(f.value, width, value_size(f.value, value_s), True, tight=True)
                   + (_height(f.note, width, note_s, tight=True) if f.note else 0) + FIGURE_GAP
                   for f in figures) - FIGURE_GAP
        if need <= room:
            break
    return [(f.label, f.value, f.note, (label_s, value_size(f.value, value_s), note_s)) for f in figures]


def _methods_slide(slide, pack: Pack) -> None:
    _heading(slide, t("pack_methods_heading"), "")
    _text(slide, MARGIN, Inches(1.4), WIDTH - 2 * MARGIN, Inches(5.2), "\n\n".join(pack.methods), 17)
    _footer(slide, pack)
