"""Issue #14: the meeting pack. `python -m report` for each strategy, as PowerPoint (opened with python-pptx)
and PDF (turned into PNG pages with pdfium): a slide/page per focus area and per indicator, a real chart
picture and the source with its date on every indicator slide, DEMODATA on a demo store, verdict words
only where the app has a tested verdict, and Swedish refusals for bad arguments."""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from components import palette, verdicts
from etl.catalogue import load_catalogue
from report import content, slides
from report.__main__ import main
from services import scope
from tests.strategies import municipalities

STRATEGIES = {s["municipality_id"]: s for s in load_catalogue().strategies}


def _first_focus(kommun: str) -> str:
    return STRATEGIES[kommun]["focus_areas"][0]["id"]


def _pack(kommun: str, focus: list[str] | None, charts_on: bool = True, **params):
    from services import context
    from services.store import clear_caches, get_store_info

    clear_caches()
    ctx, bad = context.from_params({"kommun": kommun, **params}, get_store_info())
    assert not bad
    return content.build(ctx, focus, charts_on=charts_on)


def _run(tmp_path, *args: str) -> tuple[int, str]:
    out = tmp_path / "pack"
    code = main(list(args) + ["--out", str(out)])
    return code, out


def _texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(parts)


def _expected_slides(pack) -> int:
    summaries = sum(max(1, math.ceil(len(s.rows) / slides.ROWS_PER_SLIDE)) for s in pack.focus)
    return 1 + summaries + len(pack.indicators) + 1


def _check_pptx(data: bytes, pack) -> None:
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == _expected_slides(pack)
    texts = [_texts(s) for s in prs.slides]
    assert pack.strategy in texts[0] and pack.municipality in texts[0]
    assert "DEMODATA" in texts[0], "a demo store's pack says so on its title slide"
    assert all("DEMODATA" in tx for tx in texts), "and on every slide"
    assert "Metoder och förbehåll" in texts[-1]
    by_title = {}
    for slide, tx in zip(prs.slides, texts, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame.text:
            by_title[tx.split("\n")[0]] = (slide, pictures, tx)
    assert len(by_title) == len({p.title for p in pack.indicators}), "one slide per indicator, with notes"
    for page in pack.indicators:
        slide, pictures, tx = by_title[page.title]
        assert "Källa:" in tx and ("hämtad" in tx or "DEMODATA" in tx), page.title
        assert page.summary in tx
        assert page.definition == slide.notes_slide.notes_text_frame.text
        if page.chart_png is not None:
            assert len(pictures) == 1
            image = pictures[0].image
            assert image.content_type == "image/png" and image.size[0] >= content.CHART_WIDTH_PX
        else:
            assert "Inga publicerade värden" in tx
    for section in pack.focus:
        assert any(tx.startswith(section.title) for tx in texts), section.title


# One strategy in the daily loop (make test-fast), all three in make test.
EACH = municipalities(slow_after_first=True)


@pytest.mark.parametrize("kommun", EACH)
def test_pptx_for_one_focus_area_of_each_strategy(app_store, tmp_path, kommun):
    focus = _first_focus(kommun)
    code, out = _run(tmp_path, "--kommun", kommun, "--fokus", focus, "--format", "pptx")
    assert code == 0
    _check_pptx(out.read_bytes(), _pack(kommun, [focus]))


@pytest.mark.slow
@pytest.mark.parametrize("kommun", municipalities())
def test_pptx_for_each_whole_strategy(app_store, tmp_path, kommun):
    code, out = _run(tmp_path, "--kommun", kommun, "--format", "pptx")
    assert code == 0
    pack = _pack(kommun, None)
    assert len(pack.focus) == len(STRATEGIES[kommun]["focus_areas"])
    _check_pptx(out.read_bytes(), pack)


def _pdf_pages(data: bytes):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    # Whitespace normalised: a title may wrap over two lines of the page.
    return pdf, [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])


@pytest.mark.parametrize("kommun", EACH)
def test_pdf_for_each_strategy_has_pages_charts_and_sources(app_store, tmp_path, kommun):
    focus = _first_focus(kommun)
    code, out = _run(tmp_path, "--kommun", kommun, "--fokus", focus, "--format", "pdf")
    assert code == 0
    pack = _pack(kommun, [focus])
    pdf, texts = _pdf_pages(out.read_bytes())
    assert len(pdf) >= 1 + len(pack.focus) + len(pack.indicators) + 1
    assert pack.municipality in texts[0] and "DEMODATA" in texts[0]
    assert all("DEMODATA" in tx for tx in texts)
    assert "Metoder och förbehåll" in texts[-1]
    for page in pack.indicators:
        hits = [i for i, tx in enumerate(texts) if page.title in tx and "Källa:" in tx]
        assert hits, page.title
    # Turned into pictures: the first indicator page with a chart shows the municipality's line colour
    # (the chart really is there), and no page is blank.
    first = next(p for p in pack.indicators if p.chart_png is not None)
    index = next(i for i, tx in enumerate(texts) if first.title in tx and "Källa:" in tx)
    pixels = np.asarray(pdf[index].render(scale=1).to_pil().convert("RGB")).reshape(-1, 3).astype(int)
    near = np.abs(pixels - _rgb(palette.MUNICIPALITY)).sum(axis=1) < 60
    assert near.sum() > 200, "the chart's line is drawn on the page"
    for i in range(len(pdf)):
        page_pixels = np.asarray(pdf[i].render(scale=0.5).to_pil().convert("L"))
        assert page_pixels.std() > 5, f"page {i + 1} is blank"


def test_summary_rows_use_verdict_words_only_where_tested(app_store):
    pack = _pack("0181", [_first_focus("0181")], charts_on=False)  # the words only
    assert pack.focus and pack.focus[0].rows
    for section in pack.focus:
        for row in section.rows:
            if row.change_css == "no_test":
                assert not any(w in row.change.lower() for w in verdicts.VERDICT_WORDS), row
            if row.standing_css in ("no_test", "no_data", "not_comparable"):
                assert not any(w in row.standing.lower() for w in ("bättre", "sämre")), row


def test_bad_arguments_get_a_swedish_message_and_no_file(app_store, tmp_path, capsys):
    code, out = _run(tmp_path, "--kommun", "9999", "--format", "pptx")
    assert code == 2 and not out.exists()
    assert "Okänt värde för kommun: 9999" in capsys.readouterr().err
    code, out = _run(tmp_path, "--kommun", "0181", "--fokus", "finns-inte", "--format", "pdf")
    assert code == 2 and not out.exists()
    assert "Okänt fokusområde för Södertälje: finns-inte" in capsys.readouterr().err
    code, out = _run(tmp_path, "--kommun", "0181", "--jmf", "G0", "--format", "pdf")
    assert code == 2 and "jämförelse (jmf)" in capsys.readouterr().err


def test_a_failed_pack_leaves_the_previous_file(app_store, tmp_path, monkeypatch):
    out = tmp_path / "pack"
    out.write_bytes(b"previous")
    import report

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(report, "build_pack", broken)
    with pytest.raises(RuntimeError):
        main(["--kommun", "0181", "--format", "pptx", "--out", str(out)])
    assert out.read_bytes() == b"previous"


def test_pdf_without_dejavu_leaves_out_the_symbols_and_keeps_the_words(app_store):
    """A machine without Debian's DejaVu fonts: reportlab's own Vera has no ▲ ▼ ●, so they are left out
    rather than drawn as empty boxes; the verdict words stay."""
    from report.document import SYMBOLS, to_pdf

    pack = _pack("1287", [_first_focus("1287")])
    _pdf, texts = _pdf_pages(to_pdf(pack, font_dirs=[]))
    joined = " ".join(texts)
    assert not any(sym in joined for sym in SYMBOLS)
    assert "Ingen säker" in joined or "ej testad" in joined
    assert "DEMODATA" in texts[0] and "Källa:" in joined


def test_the_strategys_targets_travel_into_the_pack(app_store, tmp_path):
    """Issue #15: Trelleborg's overarching goal sets directions; the pack's summary says how each stands."""
    from components.verdicts import TARGET_WORD

    pack = _pack("1287", ["tre_overgripande"], charts_on=False)
    rows = pack.focus[0].rows
    assert rows and all(any(r.target.startswith(w) for w in TARGET_WORD.values()) for r in rows)
    assert all("(mål: ska minska)" in r.target for r in rows)
    data = slides.to_pptx(pack)
    texts = "\n".join(_texts(s) for s in Presentation(io.BytesIO(data)).slides)
    assert "Strategins mål" in texts and "(mål: ska minska)" in texts


def test_the_pack_can_list_what_is_new_since_a_day(app_store, tmp_path):
    """Issue #15: `--sedan` (the view's sedan=) puts the "Nytt sedan …" list after the title, in PowerPoint
    and PDF, with old and new values of revised figures and the demo's mark; without it there is no list."""
    import sqlite3

    from services.changes import local_day

    con = sqlite3.connect(app_store)
    first = con.execute("SELECT published_at FROM publication ORDER BY id LIMIT 1").fetchone()[0]
    con.close()
    day = local_day(first)
    from report import document

    pack = _pack("0181", [_first_focus("0181")], charts_on=False, sedan=day)  # the words, not the charts
    deck = Presentation(io.BytesIO(slides.to_pptx(pack))).slides
    since = [s for s in deck if _texts(s).startswith(f"Nytt sedan {day}")]
    assert since and list(deck).index(since[0]) == 1, "right after the title slide"
    text = "\n".join(_texts(s) for s in since)
    assert "Ny uppgift" in text and "Tidigare värde" in text and "DEMODATA" in text
    assert "Källa för värdena nu: DEMODATA" in text, "the list's source, once under the table"
    assert len(since) == math.ceil(len(pack.since.rows) / slides.SINCE_ROWS_PER_SLIDE)
    _, pages = _pdf_pages(document.to_pdf(pack))
    assert f"Nytt sedan {day}" in pages[1] and "Ny uppgift" in pages[1]
    plain = _pack("0181", [_first_focus("0181")], charts_on=False)
    assert plain.since is None
    assert not any(_texts(s).startswith("Nytt sedan") for s in Presentation(io.BytesIO(slides.to_pptx(plain))).slides)
    one = STRATEGIES["0181"]["focus_areas"][0]["goals"][0]["indicators"][0]["id"]
    code, out = _run(tmp_path, "--kommun", "0181", "--fokus", _first_focus("0181"), "--ind", one,
                     "--sedan", day, "--format", "pdf")
    assert code == 0
    assert f"Nytt sedan {day}" in _pdf_pages(out.read_bytes())[1][1], "the command takes --sedan as the link does"
    code, _ = _run(tmp_path, "--kommun", "0181", "--sedan", "2026-02-30", "--format", "pptx")
    assert code == 2


def test_the_pdf_never_splits_procentenheter_across_lines():
    """reportlab splits a word wider than its column anywhere ('procentenh' / 'eter'): the pack's styles never
    split or hyphenate words, and a narrow column puts the unit on a line of its own instead."""
    import re

    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from components.indicator_block import Figure
    from report.document import NO_SPLIT, _clean, _fonts, to_pdf

    nb = "\u00a0"
    figures = [Figure("Förändring sedan 2020", f"±0,0{nb}procentenheter", "Ingen säker förändring"),
               Figure("Skillnad mellan delområden (SII 2025)", f"\u221212,35{nb}procentenheter",
                      f"\u22121{nb}procentenhet sedan 2019 (SII +13,4 → +12,4; registeruppgift – beskrivande, "
                      "ej testad)")]
    page = content.IndicatorPage("X", "f", "Indikator", "Mål 1", figures,
                                 f"Förändring: +1,2{nb}procentenheter sedan 2020 (ej testad). " * 6,
                                 "Källa: test", "Definition", None, "", False)
    pack = content.Pack("Rapport", "Kommun", "Strategi", "Riket", "Kommun", "2020–2025", 2020, "2025-01-01",
                        "2025-01-02", False, focus=[content.FocusSection("f", "Fokus", "", [])], indicators=[page])
    _pdf, _ = _pdf_pages(to_pdf(pack))
    raw = " ".join(_pdf[i].get_textpage().get_text_range() for i in range(len(_pdf)))
    words = re.findall(r"procent\w*", raw)
    assert len(words) == 9 and set(words) <= {"procentenhet", "procentenheter"}, words

    # A column narrower than "+1,2 procentenheter" in the pack's largest type: the unit wraps, whole.
    regular, bold, _ = _fonts([])
    from reportlab.lib.styles import ParagraphStyle

    big = ParagraphStyle("big", fontName=bold, fontSize=18, leading=22, **NO_SPLIT)
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([Table([[Paragraph(_clean(f"±0,0{nb}procentenheter", True), big)],
                                         [Paragraph(_clean(f"+1{nb}procentenhet", True), big)]],
                                        colWidths=[40 * mm])])
    narrow, _ = _pdf_pages(buf.getvalue())
    text = narrow[0].get_textpage().get_text_range()
    assert re.findall(r"procent\w*", text) == ["procentenheter", "procentenhet"], text
    assert "±0,0" in text


def test_the_packs_chart_has_girls_boys_and_the_comparison(app_store):
    """Issue #30: the pack's (and the slides') chart is the indicator page's: girls and boys here and in the
    comparison (dashed), the total, and the strategy's baseline and start."""
    from services import catalogue as cat

    strategy = cat.strategy_for("1287")
    gi = cat.goal_indicators(strategy.id)
    meta = cat.indicators().set_index("id")
    from services import indicators as svc
    from services.filters import Filters

    def comparison_by_gender(ind: str) -> bool:
        d = svc.indicator_data(ind, scope.resolve(Filters(kommun="1287", jmf="0000")))
        return bool(meta.loc[ind, "gender_split"]) and {"K", "M"} <= set(d.comp["gender"])

    split = gi[gi["indicator_id"].map(comparison_by_gender)]
    pack = _pack("1287", [split["focus_area_id"].iloc[0]])
    pages = [p for p in pack.indicators if p.chart_png is not None and p.id in set(split["indicator_id"])]
    assert pages, "a gender-split indicator with Riket's girls and boys and a chart"
    found = {}
    for page in pages:
        pixels = np.asarray(Image.open(io.BytesIO(page.chart_png)).convert("RGB")).reshape(-1, 3).astype(int)
        for name, colour in (("girls", palette.GIRLS), ("boys", palette.BOYS), ("total", palette.MUNICIPALITY),
                             ("comparison", palette.COMPARISON), ("start", palette.MILESTONE)):
            found[name] = found.get(name, 0) + int((np.abs(pixels - _rgb(colour)).sum(axis=1) < 40).sum())
    assert all(n > 100 for n in found.values()), found
    assert any("Flickor" in p.chart_alt or "Kvinnor" in p.chart_alt for p in pages)


# --- Issue #30: no word of the pack split across lines or wider than its column ---------------------------

_WORD = re.compile(r"[^\W\d_]+")


def _pack_strings(obj):
    """Every text of a pack (its dataclasses, lists and strings), recursively."""
    import dataclasses

    if isinstance(obj, str):
        yield obj
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _pack_strings(getattr(obj, f.name))
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            yield from _pack_strings(x)


def _broken_words(pdf_bytes: bytes, texts) -> list[tuple[int, str, str]]:
    """(page, fragment, line) for every run of letters on a line of the PDF that is no whole word of ``texts``
    (the pack's texts and the interface strings): 'procentenh' / 'eter' or 'föräldra-' / 'stöd' are caught."""
    import pypdfium2 as pdfium

    from components.strings import SV

    vocab = {w for s in [*texts, *SV.values()] for w in _WORD.findall(s)}
    pdf = pdfium.PdfDocument(pdf_bytes)
    out = []
    for i in range(len(pdf)):
        for line in pdf[i].get_textpage().get_text_range().splitlines():
            out += [(i + 1, w, line) for w in _WORD.findall(line) if w not in vocab]
            if line.rstrip().endswith("-"):
                out.append((i + 1, line.rstrip().split()[-1], line))
    return out


def _too_wide(pack) -> list[tuple[str, float, float]]:
    """(word, its width, the column's room) for every word of the summary tables and key figures wider than its
    column in the pack's type (reportlab would draw it across the cell's border, since it never splits it)."""
    import html

    from reportlab.pdfbase.pdfmetrics import stringWidth

    from report import document as doc

    regular, bold, _ = doc._fonts(doc.FONT_DIRS)
    width, pad = doc.PAGE[0] - 30 * doc.mm, 12  # the page's text width; a table cell's padding left + right
    out = []

    def check(text: str, room: float, font: str, size: float) -> None:
        for word in html.unescape(doc._clean(text, True)).split(" "):  # as the PDF gets it, spaces its breaks
            if stringWidth(word, font, size) > room:
                out.append((word, stringWidth(word, font, size), room))

    for section in pack.focus:
        targets = any(r.target for r in section.rows)
        shares = doc.SUMMARY_SHARES_TARGETS if targets else doc.SUMMARY_SHARES
        for r in section.rows:
            cells = [r.goal, r.indicator, r.latest, r.change, r.trend, r.standing] + ([r.target] if targets else [])
            for text, share in zip(cells, shares, strict=True):
                check(text, share * width - pad, regular, 10)
    for page in pack.indicators:
        for fig in page.figures:
            for text, font, size in ((fig.label, regular, 9), (fig.value, bold, 18), (fig.note, regular, 10)):
                check(text, doc.FIGURES_WIDTH, font, size)
    return out


@pytest.mark.parametrize("kommun", municipalities())
def test_no_word_of_the_pdf_is_split_or_wider_than_its_column(app_store, kommun):
    """The whole strategy's PDF: every word on every line is a whole word of what the pack says (none split as
    'procentenh' / 'eter', none hyphenated), and every word of its tables and key figures fits its column, so
    lines wrap on spaces only ('215,6' / 'meritvärde')."""
    from report.document import to_pdf

    pack = _pack(kommun, None, charts_on=False)
    texts = list(_pack_strings(pack))
    assert any("procentenhet" in s for s in texts)  # the word the issue saw broken is in this pack
    assert _broken_words(to_pdf(pack), texts) == []
    assert _too_wide(pack) == []


def test_the_word_check_catches_a_word_split_across_lines():
    """The check above is not blind: reportlab's own default (split a long word anywhere) in a narrow column is
    caught, with the fragments named; the pack's NO_SPLIT style in the same column is not."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from report.document import NO_SPLIT, _clean, _fonts

    regular, bold, _ = _fonts([])
    text = "±0,0\u00a0procentenheter sedan 2020"

    def pdf(**style) -> bytes:
        buf = io.BytesIO()
        big = ParagraphStyle("big", fontName=bold, fontSize=18, leading=22, **style)
        SimpleDocTemplate(buf).build([Table([[Paragraph(_clean(text, True), big)]], colWidths=[30 * mm])])
        return buf.getvalue()

    split = _broken_words(pdf(splitLongWords=1), [text])
    assert split and all(w != "procentenheter" for _, w, _ in split), split
    assert _broken_words(pdf(**NO_SPLIT), [text]) == []


# --- Plain Swedish at the terminal and in file names (issue #30) ---------------------------------------------

ENGLISH = re.compile(r"\b(WARNING|Warning|warning|No runtime|using|deprecated|usage|error|the following|"
                     r"required|invalid|argument|Traceback)\b")


def _command(store, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env["PYTHONWARNINGS"] = "default"  # every Python warning shown, as a developer's shell might
    return subprocess.run([sys.executable, "-m", "report", "--store", str(store), *args], capture_output=True,
                          text=True, timeout=300, cwd=Path(__file__).resolve().parent.parent, env=env, check=False)


def test_the_command_speaks_swedish_only(app_store, tmp_path):
    out = tmp_path / "möte.pptx"
    run = _command(app_store, "--kommun", "1287", "--fokus", _first_focus("1287"), "--format", "pptx",
                   "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert out.stat().st_size > 10_000
    assert "Mötesunderlaget är klart" in run.stdout
    assert not ENGLISH.search(run.stdout + run.stderr), run.stdout + run.stderr
    bad = _command(app_store, "--kommun", "1287", "--format", "doc", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "användning: python -m report" in bad.stderr
    assert "fel: --format: ogiltigt val 'doc'" in bad.stderr
    assert not ENGLISH.search(bad.stderr.replace("python -m report", "")), bad.stderr
    missing = _command(app_store, "--kommun", "1287")
    assert missing.returncode == 2 and "dessa måste anges: --format, --out" in missing.stderr


def test_the_pack_file_name_is_readable(app_store):  # noqa: ARG001 - the store the context reads
    from report import file_name
    from services import catalogue as cat
    from services import context
    from services.store import get_store_info

    ctx, _ = context.from_params({"kommun": "1287"}, get_store_info())
    focus = cat.focus_areas(ctx.strategy.id).iloc[2]
    name = file_name(ctx, "pdf", [focus["id"]], today=date(2026, 12, 6))
    demo = " (demodata)" if ctx.store.is_demo else ""
    assert name == f"Mötesunderlag {ctx.strategy.municipality} – {focus['title']} 2026-12-06{demo}.pdf"
    assert focus["id"] not in name and "_" not in name
    whole = file_name(ctx, "pptx", None, today=date(2026, 12, 6))
    assert whole == f"Mötesunderlag {ctx.strategy.municipality} – 2026-12-06{demo}.pptx"
    district = cat.main_districts("1287").iloc[0]
    ctx, _ = context.from_params({"kommun": "1287", "omrade": district["id"]}, get_store_info())
    assert district["name"] in file_name(ctx, "pdf") and district["id"] not in file_name(ctx, "pdf")


def test_the_pack_names_places_and_indicators_without_codes(app_store):  # noqa: ARG001 - the store it reads
    from services import catalogue as cat

    district = cat.main_districts("0181").iloc[0]
    pack = _pack("0181", [_first_focus("0181")], charts_on=False, omrade=district["id"])
    text = repr(pack)
    assert district["name"] in text or district["name"].replace("'", "\\'") in text
    assert not re.search(r"\(id N\d{5}\)|\(N\d{5}\)|\b\d{4}[ABCR]\d{3,4}\b", text), \
        re.findall(r"\(id N\d{5}\)|\(N\d{5}\)|\b\d{4}[ABCR]\d{3,4}\b", text)[:5]


def test_the_key_figures_name_the_whole_comparison(app_store):
    """Issue #30: the pack's key figures name the comparison whole (a list of six municipalities was cut at 40
    characters), and every word of it still fits the figures' column."""
    from services import catalogue as cat

    others = [m for m in cat.municipalities()["id"] if m not in ("0000", "1287")][:6]
    pack = _pack("1287", None, charts_on=False, jmf="lista", lista=",".join(others))
    names = cat.municipalities().set_index("id")["name"]
    label = "Egen lista: " + ", ".join(names[m] for m in others)
    assert len(label) > 40
    assert any(fig.label == label for page in pack.indicators for fig in page.figures)
    assert _too_wide(pack) == []


def _needed_height(shape) -> float:
    """The height in EMU a text box's text takes, measured independently of report/slides.py: Pillow's metrics
    of DejaVu Sans (wider than PowerPoint's Calibri), greedy wrapping on spaces, 1.2 × the size a line."""
    from PIL import ImageFont
    from pptx.util import Pt

    lines = 0
    size = None
    for para in shape.text_frame.paragraphs:
        run = para.runs[0]
        size = run.font.size.pt
        font = ImageFont.truetype(f"/usr/share/fonts/truetype/dejavu/DejaVuSans{'-Bold' if run.font.bold else ''}.ttf", 100)
        frame = shape.text_frame
        room = (shape.width - frame.margin_left - frame.margin_right) / Pt(1)
        used, n = 0.0, 1
        for word in para.text.split(" "):
            w, space = font.getlength(word) * size / 100, font.getlength(" ") * size / 100
            if used and used + space + w > room:
                n, used = n + 1, w
            else:
                used += (space if used else 0) + w
        lines += n
    return lines * Pt(size * 1.2) + shape.text_frame.margin_top + shape.text_frame.margin_bottom


def test_each_key_figure_on_a_slide_is_whole_and_clear_of_the_next(app_store):
    """Issue #30: on every indicator slide the key figures beside the chart (a long comparison name, an own
    list of six municipalities, included) each fit their text box, the boxes do not overlap, and the last ends
    above the summary, whose text fits its box too — measured with Pillow, not with the code that lays them out."""
    from pptx.util import Inches

    from services import catalogue as cat

    if not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file():
        pytest.skip("DejaVu Sans is not installed (Debian: fonts-dejavu-core); the measurement needs it")
    others = [m for m in cat.municipalities()["id"] if m not in ("0000", "1287")][:6]
    pack = _pack("1287", None, charts_on=True, jmf="lista", lista=",".join(others))
    checked = 0
    for slide in Presentation(io.BytesIO(slides.to_pptx(pack))).slides:
        if not (slide.has_notes_slide and slide.notes_slide.notes_text_frame.text):
            continue  # not an indicator slide
        boxes = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text]
        chart = next((s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE), None)
        edge = chart.left + chart.width if chart is not None else Inches(6.5)  # else "Inga publicerade värden"
        column = sorted((s for s in boxes if s.left >= edge), key=lambda s: s.top)
        assert column and (chart is None or chart.top + chart.height <= Inches(5.45))
        summary = next(s for s in boxes if s.text_frame.text and s.top == Inches(5.45))
        for box in column + [summary]:
            assert _needed_height(box) <= box.height * 1.01, (box.text_frame.text, _needed_height(box), box.height)
        for upper, lower in zip(column, column[1:], strict=False):
            assert upper.top + upper.height <= lower.top, (upper.text_frame.text, lower.text_frame.text)
        assert column[-1].top + column[-1].height <= summary.top, column[-1].text_frame.text
        assert any(len(box.text_frame.text) > 40 and box.text_frame.text.startswith("Egen lista") for box in column)
        checked += 1
    assert checked == len(pack.indicators)
