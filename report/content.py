"""What a meeting pack says, independent of its format: a title, one summary per focus area, one page per
chosen indicator (the chart as an image, key figures, the verdict in the app's own words, the gender gap,
source and fetch date, the definition), and the methods. ``report.pptx`` and ``report.pdf`` lay it out.

Every sentence that judges a figure comes from ``components.verdicts`` (through the same helpers the app
uses), so the pack never says more than the app: a verdict word only where a test supports it.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from components import changes, charts, fmt, indicator_block, tables
from components.indicator_block import text_summary
from components.strings import gender_label, t
from services import catalogue as cat
from services import changes as since_svc
from services import indicators as svc
from services import overview as svc_ov
from services.context import ViewContext

ROOT = Path(__file__).resolve().parent.parent
# The chart as it sits on a slide: 16:9 slide, chart about 60 % of its width.
CHART_WIDTH_PX = 620
CHART_HEIGHT_PX = 250
CHART_FONT_SCALE = 1.35  # the app's 12 px labels become about 12 pt on the slide
# Pixels per CSS pixel in the PNG: the chart then has about the pixels it covers on a 1920×1080 projector.
CHART_SCALE = 2
MAX_CHART_PROCESSES = 4
MIN_CHARTS_PER_PROCESS = 4  # fewer charts than this per process: starting it costs more than it saves


@dataclass
class FocusSection:
    id: str
    title: str
    subtitle: str
    rows: list[tables.SummaryRow]


@dataclass
class IndicatorPage:
    id: str
    focus_area_id: str
    title: str
    subtitle: str  # goal and area
    figures: list[indicator_block.Figure]
    summary: str  # the app's text summary: value, change, trend, comparison and gender gap, verdicts included
    sources: str  # "Källa: …" with fetch dates and DEMODATA
    definition: str
    chart_png: bytes | None
    chart_alt: str
    is_demo: bool
    chart_spec: dict | None = None  # what the chart is drawn from, until it is rendered


@dataclass
class SinceSection:
    """"Nytt sedan …": the figures new, revised or withdrawn since a day, as the app lists them."""
    day: str
    intro: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str]


@dataclass
class Pack:
    title: str
    municipality: str
    strategy: str
    comparison: str
    area: str
    period: str
    baseline_year: int
    data_date: str
    built_at: str
    is_demo: bool
    focus: list[FocusSection] = field(default_factory=list)
    indicators: list[IndicatorPage] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    since: SinceSection | None = None

    def pages_for(self, focus_area_id: str) -> list[IndicatorPage]:
        return [p for p in self.indicators if p.focus_area_id == focus_area_id]


def build(ctx: ViewContext, focus_ids: list[str] | None = None, indicator_ids: list[str] | None = None,
          charts_on: bool = True) -> Pack:
    """The pack for a view: all focus areas of the strategy (or ``focus_ids``), each with all its goal
    indicators (or those in ``indicator_ids``)."""
    f, s = ctx.filters, ctx.strategy
    fas = cat.focus_areas(s.id)
    if focus_ids:
        # The catalogue's id (tre_fa1) or the store's (trelleborg.tre_fa1).
        short = {fid.split(".", 1)[-1]: fid for fid in fas["id"]}
        full = {**short, **{fid: fid for fid in fas["id"]}}
        unknown = [x for x in focus_ids if x not in full]
        if unknown:
            raise ValueError(t("pack_unknown_focus", ids=", ".join(unknown), municipality=s.municipality,
                               known=", ".join(short)))
        fas = fas[fas["id"].isin({full[x] for x in focus_ids})]
    overview = svc_ov.overview_frame(ctx)
    info = ctx.store
    pack = Pack(
        title=t("pack_title"), municipality=s.municipality, strategy=s.title, comparison=ctx.comparison.label,
        area=ctx.area_label, period=f"{f.fran}–{f.till}", baseline_year=s.baseline_year,
        data_date=cat.data_date(), built_at=info.built_at[:10], is_demo=info.is_demo,
        methods=[t("pack_method_verdicts"), t("pack_method_disclosure", threshold=cat.usual_threshold()),
                 t("pack_method_sources")] + ([svc.DEMO_MARK + "."] if info.is_demo else []),
    )
    pack.since = _since(ctx, list(fas["id"]))
    for fa in fas.itertuples():
        part = overview[overview["focus_area_id"] == fa.id]
        title = cat.focus_area_title(fa.code, fa.title, fa.kind)
        rows = [tables.summary_row(r, tables.comparison_name(ctx.comparison.label)) for r in part.itertuples()]
        pack.focus.append(FocusSection(fa.id, title, fa.subtitle or "", rows))
        seen = set()
        for r in part.itertuples():
            if r.indicator_id in seen or (indicator_ids and r.indicator_id not in indicator_ids):
                continue
            seen.add(r.indicator_id)
            goal = t("focus_goal", code=r.goal_code, title=r.goal_title)
            pack.indicators.append(_indicator_page(ctx, r.indicator_id, fa.id, r.label, goal, charts_on))
    _render_charts(pack.indicators)
    return pack


def _since(ctx: ViewContext, focus_ids: list[str]) -> SinceSection | None:
    """The view's "Nytt sedan …" list for the pack's focus areas (None without ``sedan``)."""
    day = ctx.filters.sedan
    if not day:
        return None
    frame = changes.frame(ctx)
    frame = frame[frame["focus_area_id"].isin(focus_ids)].drop_duplicates(["indicator_id", "area_id", "year", "gender"])
    if frame.empty:
        return SinceSection(day, t("since_none", municipality=ctx.strategy.municipality, date=day), [], [], [])
    n = since_svc.counts(frame)
    # On a slide the source goes once under the table, not on every row.
    shown, source_note = changes.without_sources(changes.table(frame))
    notes = ([t("since_demo")] if frame["is_demo"].astype(bool).any() else []) + (
        [t("since_withdrawn_note")] if n["withdrawn"] else []) + ([source_note] if source_note else [])
    return SinceSection(day, t("since_intro", municipality=ctx.strategy.municipality, date=day, **n),
                        list(shown.columns), shown.astype(str).values.tolist(), notes)


def _render_charts(pages: list[IndicatorPage]) -> None:
    """Every page's chart to PNG. Building an Altair spec and rasterising it cost about 0.3 s a chart, all
    of it CPU in one thread (vl-convert's JavaScript runs in one worker), so a pack with many charts shares
    them between worker programs, one per core (``report/render_worker.py``; ``make bench`` prints the
    pack's time)."""
    todo = [p for p in pages if p.chart_spec is not None]
    workers = min(MAX_CHART_PROCESSES, os.cpu_count() or 1, len(todo) // MIN_CHARTS_PER_PROCESS)
    if workers > 1:
        shares = [todo[i::workers] for i in range(workers)]
        procs = [subprocess.Popen([sys.executable, "-m", "report.render_worker"], cwd=ROOT,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in shares]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            answers = list(pool.map(lambda pair: pair[0].communicate(
                pickle.dumps([p.chart_spec for p in pair[1]], protocol=pickle.HIGHEST_PROTOCOL)),
                zip(procs, shares, strict=True)))
        for proc, share, (out, err) in zip(procs, shares, answers, strict=True):
            if proc.returncode != 0:
                raise RuntimeError(f"diagrammen kunde inte ritas: {err.decode('utf-8', 'replace')[-500:]}")
            for page, png in zip(share, pickle.loads(out), strict=True):  # noqa: S301 - our own worker
                page.chart_png, page.chart_spec = png, None
    else:
        for page in todo:
            page.chart_png, page.chart_spec = render_png(page.chart_spec), None


def render_png(job: dict) -> bytes:
    """One trend chart, from its data to PNG: the app's builder, its source footer, a fixed size."""
    chart = charts.spec("trend", job["frame"], job["unit"], job["decimals"], job["colours"],
                        height=CHART_HEIGHT_PX, breaks=job["breaks"], notes=job["notes"], validate=False,
                        **job.get("style", {}))
    chart = charts.with_footer({**chart, "width": CHART_WIDTH_PX}, job["footer"])
    return charts.image(charts.scaled_fonts(chart, CHART_FONT_SCALE), "png", scale=CHART_SCALE)


def _indicator_page(ctx: ViewContext, indicator_id: str, focus_area_id: str, label: str, goal: str,
                    charts_on: bool) -> IndicatorPage:
    view = svc.indicator_view(indicator_id, ctx)
    d, gender, s, meta = view.data, view.gender, view.summary, view.meta
    unit = meta["unit"]
    sources = view.sources or fmt.MISSING
    who = "" if gender == "T" else f", {gender_label(gender, meta['gender_labels']).lower()}"
    figures = indicator_block.key_figures(d, s, who, gender)
    chart, alt_text = None, ""
    if charts_on and not d.own.empty:
        chart, alt_text = _chart(d, gender, sources, who, ctx.baseline_year)
    return IndicatorPage(
        id=indicator_id, focus_area_id=focus_area_id, title=label or meta["short_title"],
        subtitle=f"{goal} · {d.area_name}", figures=figures,
        summary=text_summary(d, s, gender), sources=t("ind_sources", sources=sources),
        definition=f"{meta['title']}. {meta['definition']} Enhet: {unit}. "
                   f"Källa: {meta['source_name']}.",
        chart_png=None, chart_alt=alt_text, is_demo=d.has_demo, chart_spec=chart)


def _chart(d: svc.IndicatorData, gender: str, sources: str, who: str, baseline_year: int) -> tuple[dict, str]:
    """What the trend chart is drawn from (rendered later, see ``_render_charts``), and its alt text."""
    meta = d.meta
    dec, unit = int(meta["decimals"]), meta["unit"]
    # The indicator page's chart: girls, boys and the total against the comparison (dashed), the
    # strategy's baseline and start.
    view = indicator_block.trend_view(d, gender)
    frame, colours = view.frame, view.colours
    strategy = d.strategy
    job = {"frame": frame, "unit": unit, "decimals": dec, "colours": colours,
           "style": {**view.kwargs(), "start_year": strategy.period_start, "baseline_year": baseline_year,
                     "subject": meta["short_title"]},
           "breaks": cat.series_breaks(meta["id"]),
           "notes": cat.annotations(strategy.municipality_id, strategy.id, meta["id"]),
           "footer": charts.footer_lines(f"{meta['short_title']} ({unit}){who}", sources, width=90)}
    return job, t("pack_chart_alt", title=meta["short_title"], series=", ".join(colours))
