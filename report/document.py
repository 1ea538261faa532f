"""The meeting pack as PDF (reportlab), A4 landscape so that a page holds what a slide holds: the same
title, focus-area summaries, indicator pages with the chart image, and methods. Swedish number formats come
from the content (``components.fmt``); the font is DejaVu Sans where the system has it (Debian's
fonts-dejavu-core), else reportlab's own Vera, whose missing symbols (▲ ▼ ● …) are left out: the words
beside them carry the meaning."""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from components.fmt import NBSP
from components.strings import t
from report.content import IndicatorPage, Pack

PAGE = landscape(A4)
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu")]
SYMBOLS = "▲▼●○◐↑↓"
FILL = {"better": colors.HexColor("#DCEBF7"), "worse": colors.HexColor("#FBE3D3"),
        "similar": colors.HexColor("#EDEDED")}
DEMO_RED = colors.HexColor("#A11D1D")
MUTED = colors.HexColor("#4A4A4A")
UNIT_SPACE = re.compile(f"{NBSP}(?=[^\\W\\d_])")
# Column shares of the summary table (with and without the strategy's targets) and of "Nytt sedan …"; the
# width of the key figures beside an indicator's chart. tests/test_report.py checks that every word fits.
SUMMARY_SHARES = (0.06, 0.30, 0.13, 0.19, 0.16, 0.16)
SUMMARY_SHARES_TARGETS = (0.06, 0.25, 0.12, 0.17, 0.14, 0.13, 0.13)
SINCE_SHARES = (0.27, 0.11, 0.05, 0.08, 0.10, 0.14, 0.14, 0.11)
FIGURES_WIDTH = 70 * mm


def _fonts(font_dirs: list[Path]) -> tuple[str, str, bool]:
    """(regular, bold, has_symbols): DejaVu Sans from the first folder that has it, else Vera (registered
    once per kind)."""
    for d in font_dirs:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            _register("PackDejaVu", regular, bold)
            return "PackDejaVu", "PackDejaVu-Bold", True
    vera = Path(reportlab.__file__).parent / "fonts"
    _register("PackVera", vera / "Vera.ttf", vera / "VeraBd.ttf")
    return "PackVera", "PackVera-Bold", False


def _register(name: str, regular: Path, bold: Path) -> None:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(regular)))
        pdfmetrics.registerFont(TTFont(f"{name}-Bold", str(bold)))


def _clean(text: str, symbols: bool) -> str:
    if not symbols:
        text = "".join(ch for ch in text if ch not in SYMBOLS).replace("  ", " ").strip()
    # A narrow column may put the unit on the next line ('+1,2' / 'procentenheter', '215,6' / 'meritvärde'),
    # never split the word: a no-break space before a word becomes a space; between digits ('1 234') it stays.
    return escape(UNIT_SPACE.sub(" ", text))


# Words are never split across lines: reportlab's default splits a word wider than its column anywhere
# ('procentenh' / 'eter'), and hyphenation (pyphen, where installed) is off too.
NO_SPLIT = {"splitLongWords": 0, "hyphenationLang": "", "uriWasteReduce": 0, "embeddedHyphenation": 0}


def to_pdf(pack: Pack, font_dirs: list[Path] | None = None) -> bytes:
    regular, bold, symbols = _fonts(FONT_DIRS if font_dirs is None else font_dirs)
    styles = {
        "h0": ParagraphStyle("h0", fontName=bold, fontSize=26, leading=32, spaceAfter=8, **NO_SPLIT),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=20, leading=25, spaceAfter=4, **NO_SPLIT),
        "sub": ParagraphStyle("sub", fontName=regular, fontSize=12, leading=15, textColor=MUTED, spaceAfter=8, **NO_SPLIT),
        "body": ParagraphStyle("body", fontName=regular, fontSize=12, leading=16, spaceAfter=6, **NO_SPLIT),
        "big": ParagraphStyle("big", fontName=bold, fontSize=18, leading=22, **NO_SPLIT),
        "small": ParagraphStyle("small", fontName=regular, fontSize=9, leading=11.5, textColor=MUTED, **NO_SPLIT),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=10, leading=12.5, **NO_SPLIT),
        "head": ParagraphStyle("head", fontName=bold, fontSize=10, leading=12.5, **NO_SPLIT),
        "demo": ParagraphStyle("demo", fontName=bold, fontSize=13, leading=17, textColor=DEMO_RED, **NO_SPLIT),
    }

    def p(text: str, style: str) -> Paragraph:
        return Paragraph(_clean(text, symbols), styles[style])

    story: list = [Spacer(1, 20 * mm), p(pack.strategy, "h0"), p(f"{pack.title} – {pack.municipality}", "h1"),
                   Spacer(1, 6 * mm)]
    for fact in (t("pack_fact_area", area=pack.area), t("pack_fact_comparison", comparison=pack.comparison),
                 t("pack_fact_period", period=pack.period, baseline=pack.baseline_year),
                 t("pack_fact_date", date=pack.data_date, built=pack.built_at)):
        story.append(p(fact, "body"))
    if pack.is_demo:
        story += [Spacer(1, 6 * mm), p(t("pack_demo_long"), "demo")]
    if pack.since is not None:
        story += [PageBreak(), *_since(pack, p)]
    for section in pack.focus:
        story += [PageBreak(), p(section.title, "h1"),
                  p(section.subtitle or t("pack_summary_subtitle", comparison=pack.comparison), "sub"),
                  _summary_table(section.rows, pack, p)]
        for page in pack.pages_for(section.id):
            story += [PageBreak(), *_indicator(page, p)]
    story += [PageBreak(), p(t("pack_methods_heading"), "h1")] + [p(m, "body") for m in pack.methods]

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=16 * mm, title=f"{pack.title} – {pack.municipality}",
                            author=pack.municipality, subject=pack.strategy, lang="sv-SE")

    def decorate(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(15 * mm, 8 * mm, _plain(t("pack_footer", municipality=pack.municipality,
                                                     strategy=pack.strategy, date=pack.data_date), symbols))
        canvas.drawRightString(PAGE[0] - 15 * mm, 8 * mm, f"{t('pack_page')} {doc_.page}")
        if pack.is_demo:
            canvas.setFont(bold, 10)
            canvas.setFillColor(DEMO_RED)
            canvas.drawRightString(PAGE[0] - 15 * mm, PAGE[1] - 9 * mm, t("pack_demo_short"))
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


def _plain(text: str, symbols: bool) -> str:
    return text if symbols else "".join(ch for ch in text if ch not in SYMBOLS)


def _summary_table(rows, pack: Pack, p) -> Table:
    targets = any(r.target for r in rows)
    head = [p(t("pack_col_goal"), "head"), p(t("label_indicator"), "head"), p(t("pack_col_latest"), "head"),
            p(t("pack_col_change"), "head"), p(t("pack_col_trend"), "head"),
            p(t("pack_col_standing", comparison=pack.comparison), "head")] + (
        [p(t("pack_col_target"), "head")] if targets else [])
    data = [head] + [[p(r.goal, "cell"), p(r.indicator, "cell"), p(r.latest, "cell"), p(r.change, "cell"),
                      p(r.trend, "cell"), p(r.standing, "cell")] + ([p(r.target, "cell")] if targets else [])
                     for r in rows]
    width = PAGE[0] - 30 * mm
    shares = SUMMARY_SHARES_TARGETS if targets else SUMMARY_SHARES
    table = Table(data, colWidths=[w * width for w in shares], repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#C9CED6")),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F4F7")),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for i, r in enumerate(rows, start=1):
        if r.change_css in FILL:
            style.append(("BACKGROUND", (3, i), (3, i), FILL[r.change_css]))
        if r.standing_css in FILL:
            style.append(("BACKGROUND", (5, i), (5, i), FILL[r.standing_css]))
        if targets and r.target_css in FILL:
            style.append(("BACKGROUND", (6, i), (6, i), FILL[r.target_css]))
    table.setStyle(TableStyle(style))
    return table


def _since(pack: Pack, p) -> list:
    """"Nytt sedan …": the intro and a table of the changed figures (its header repeated on every page)."""
    since = pack.since
    out = [p(t("since_heading", date=since.day), "h1"), p(since.intro, "sub")]
    if since.rows:
        width = PAGE[0] - 30 * mm
        shares = SINCE_SHARES
        table = Table([[p(c, "head") for c in since.columns]] + [[p(v, "cell") for v in row] for row in since.rows],
                      colWidths=[w * width for w in shares], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#C9CED6")),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F4F7")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        out.append(table)
    out += [p(n, "small") for n in since.notes]
    return out


CHART_MAX_HEIGHT = 95 * mm


def _indicator(page: IndicatorPage, p) -> list:
    out = [p(page.title, "h1"), p(page.subtitle, "sub")]
    figures = [[p(f.label, "small")] + [p(f.value, "big")] + ([p(f.note, "cell")] if f.note else [])
               for f in page.figures]
    side = Table([[cell] for fig in figures for cell in fig], colWidths=[FIGURES_WIDTH])
    side.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    if page.chart_png:
        img = Image(io.BytesIO(page.chart_png))
        # As wide as the column, but never so tall that the summary and the source leave the page (a chart
        # with girls, boys and the comparison has a taller legend).
        w = min(180 * mm, CHART_MAX_HEIGHT * img.imageWidth / img.imageHeight)
        img.drawWidth, img.drawHeight = w, w * img.imageHeight / img.imageWidth
        img._altText = page.chart_alt  # noqa: SLF001 - kept with the flowable for tagged output later
        chart = img
    else:
        chart = p(t("pack_no_chart"), "body")
    row = Table([[chart, side]], colWidths=[185 * mm, 80 * mm])
    row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    out.append(row)
    text = [p(page.summary, "body"), p(page.sources, "small"), p(page.definition, "small")]
    out.append(KeepTogether(text))
    return out

