"""Presentation mode (``visning=presentation``): one slide per screen for a meeting room. The sidebar is
gone, the type is large (about 24 px body text on a 1920×1080 projector, 20 px at 1280×720), and the
arrow keys or a clicker's PageUp/PageDown move between slides. Every indicator slide keeps its verdict
sentence and its source line on screen; on a short screen (a 1280×720 projector) the key figures beside
the chart give way to it, since the sentence above says the same. The slide's number is in the link (``bild``), like every other
part of the view."""

from __future__ import annotations

import html

import streamlit as st

from components import changes, charts, filters, indicator_block, keyfigures, tables
from components.strings import t
from services import catalogue as cat
from services import changes as since_svc
from services import indicators as svc
from services import overview as svc_ov
from services import presentation as pres
from services.context import ViewContext

# Root font size: Streamlit sizes its text in rem, so this scales everything (1.25vw = 24 px at 1920).
CSS = """<style>
html {font-size: clamp(20px, 1.25vw, 34px);}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"] {padding-top: 1.2rem; padding-bottom: 1rem; max-width: 100%;}
.st-key-pres_clicker {position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden;}
.st-key-pres_demo p {color: #A11D1D; font-weight: 700; margin: 0;}
[data-testid="stMainBlockContainer"] h1 {font-size: 2.3rem; padding-top: 0.3rem; padding-bottom: 0.5rem;}
.st-key-pres_chart_short {display: none;}
/* A short screen (a 1280×720 projector): the body keeps its 20 px and the rest draws closer. The key
   figures beside the chart give way to it: the verdict sentence above says the same (latest value, change,
   the comparison and the standing), and the chart, lower, takes the slide's width, so that it, its legend and its
   source stay above the fold. */
@media (max-height: 820px) {
  [data-testid="stMainBlockContainer"] {padding-top: 0.5rem;}
  [data-testid="stMainBlockContainer"] h1 {font-size: 1.9rem; padding-top: 0; padding-bottom: 0.1rem;}
  [data-testid="stColumn"]:has(.st-key-pres_figures) {display: none;}
  [data-testid="stColumn"]:has(.st-key-pres_chart) {flex: 1 1 100%; width: 100%; max-width: 100%;}
  .st-key-pres_chart {display: none;}
  .st-key-pres_chart_short {display: flex;}
}
</style>"""
CHART_FONT_SCALE = 1.6
CHART_HEIGHT = 360
SHORT_CHART_HEIGHT = 230  # on a short screen (max-height 820 px)
SHORT_CHART_FONT_SCALE = 1.4
# A focus summary's type by its number of rows (1.0: the table's usual 0.95 rem, five rows on 1280×720).
SUMMARY_SCALE = {1: 1.45, 2: 1.4, 3: 1.2}
SUMMARY_VH_CAP = {1: 3.2, 2: 3.0, 3: 2.7}  # the type's cap in vh (2.4 for a full screen of rows)
SHORT_SCREEN_VH_CAP = {1: 3.0, 2: 2.8, 3: 2.5}  # the same on a short screen (2.15 for a full screen)


def go(number: int) -> None:
    filters.update(bild=number)


def leave() -> None:
    filters.update(visning=None, bild=1)


def start(number: int) -> None:
    """Open presentation mode at slide ``number`` (an on_click callback)."""
    filters.update(visning="presentation", bild=number)


def render(ctx: ViewContext) -> None:
    st.html(CSS)
    all_slides = pres.slides(ctx.strategy.id, changes.count(ctx))
    n = len(all_slides)
    number = min(max(ctx.filters.bild, 1), n)
    slide = all_slides[number - 1]
    # The navigation first: at 1280×720 a slide's chart or table pushed buttons drawn below it under the fold.
    _controls(number, n, ctx.store.is_demo)
    {pres.TITLE: _title, pres.SINCE: _since, pres.FOCUS: _focus, pres.INDICATOR: _indicator,
     pres.METHODS: _methods}[slide.kind](ctx, slide)


def _controls(number: int, n: int, demo: bool) -> None:
    """One row above the slide: the demo mark, previous, the slide's number, next, leave."""
    c0, c1, c2, c3, c4 = st.columns([3, 2, 1, 2, 3], vertical_alignment="center")
    if demo:
        with c0.container(key="pres_demo"):
            st.markdown(t("pack_demo_short"))
    c1.button(t("pres_previous"), key="pres_prev", on_click=go, args=(max(1, number - 1),), shortcut="Left",
              disabled=number == 1, icon=":material/chevron_left:", width="stretch")
    c2.markdown(t("pres_counter", number=number, n=n))
    c3.button(t("pres_next"), key="pres_next", on_click=go, args=(min(n, number + 1),), shortcut="Right",
              disabled=number == n, icon=":material/chevron_right:", width="stretch")
    c4.button(t("pres_leave"), key="pres_leave", on_click=leave, shortcut="Esc", width="stretch")
    # A clicker sends PageUp/PageDown: the same moves on keys of their own, off screen.
    with st.container(key="pres_clicker"):
        st.button(t("pres_previous"), key="pres_pgup", on_click=go, args=(max(1, number - 1),), shortcut="PageUp")
        st.button(t("pres_next"), key="pres_pgdn", on_click=go, args=(min(n, number + 1),), shortcut="PageDown")


def _title(ctx: ViewContext, _slide: pres.Slide) -> None:
    s, f = ctx.strategy, ctx.filters
    st.title(s.title, anchor=False)
    st.header(f"{t('pack_title')} – {s.municipality}", anchor=False)
    st.markdown("  \n".join([
        t("pack_fact_area", area=ctx.area_label), t("pack_fact_comparison", comparison=ctx.comparison.label),
        t("pack_fact_period", period=f"{f.fran}–{f.till}", baseline=s.baseline_year),
        t("pack_fact_date", date=cat.data_date(), built=ctx.store.built_at[:10])]))
    if ctx.store.is_demo:
        st.warning(t("pack_demo_long"))


def _since(ctx: ViewContext, slide: pres.Slide) -> None:
    """"Nytt sedan …": the figures new, revised or withdrawn since the view's day, a screenful at a time, with
    the sources of the values once under the table (as in the meeting pack)."""
    day = ctx.filters.sedan
    part, parts = slide.part
    st.title(t("since_heading", date=day) + (f" ({t('pack_continued')} {part}/{parts})" if parts > 1 else ""),
             anchor=False)
    found = changes.figures(ctx)
    if found.empty:
        st.info(t("since_none", municipality=ctx.strategy.municipality, date=day))
        return
    n = since_svc.counts(found)
    st.markdown(t("since_intro", municipality=ctx.strategy.municipality, date=day, **n))
    shown, source_note = changes.without_sources(changes.table(found.iloc[slide.rows[0]:slide.rows[1]]))
    st.html(_table_html(shown))
    notes = ([t("since_demo")] if found["is_demo"].astype(bool).any() else []) + ([source_note] if source_note else [])
    for note in notes:
        st.caption(note)


def _table_html(df) -> str:
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in df.itertuples(index=False))
    return f"{tables.CSS}<table class='ind'><tr>{head}</tr>{body}</table>"


def _focus(ctx: ViewContext, slide: pres.Slide) -> None:
    s = ctx.strategy
    fa = cat.focus_areas(s.id).set_index("id").loc[slide.focus_area_id]
    title = cat.focus_area_title(fa["code"], fa["title"], fa["kind"])
    part, parts = slide.part
    st.title(title + (f" ({t('pack_continued')} {part}/{parts})" if parts > 1 else ""), anchor=False)
    if fa["subtitle"]:
        st.markdown(f"*{fa['subtitle']}*")
    df = svc_ov.overview_frame(ctx)
    df = df[df["focus_area_id"] == slide.focus_area_id].iloc[slide.rows[0]:slide.rows[1]]
    rows = [tables.summary_row(r, tables.comparison_name(ctx.comparison.label)) for r in df.itertuples()]
    with st.container(key="pres_summary"):
        st.html(summary_css(len(rows)) + tables.summary_html(
            rows, t("pack_summary_subtitle", comparison=ctx.comparison.label), ctx.comparison.label))


def summary_css(n_rows: int) -> str:
    """A summary of few rows in larger type, so that it fills the screen it has (two rows in the table's usual
    type left half a 1080p screen empty); ROWS_PER_SCREEN rows keep the usual type and fit 1280×720."""
    scale = SUMMARY_SCALE.get(n_rows, 1.0)
    # Capped by the screen's height: a 1280×720 projector gets the type that fits, 1920×1080 the larger one.
    return (f"<style>.st-key-pres_summary table.ind {{font-size: min({0.95 * scale:.2f}rem, "
            f"{SUMMARY_VH_CAP.get(n_rows, 2.4)}vh);}}"
            f"@media (max-height: 820px) {{.st-key-pres_summary table.ind {{font-size: min({0.95 * scale:.2f}rem, "
            f"{SHORT_SCREEN_VH_CAP.get(n_rows, 2.15)}vh);}}}}"
            f".st-key-pres_summary table.ind th, .st-key-pres_summary table.ind td {{padding: 0.35em 0.5em;}} .st-key-pres_summary table.ind .small {{font-size: 0.9em;}}</style>")


def _indicator(ctx: ViewContext, slide: pres.Slide) -> None:
    view = svc.indicator_view(slide.indicator_id, ctx)
    d, gender, s, meta = view.data, view.gender, view.summary, view.meta
    dec, unit = int(meta["decimals"]), meta["unit"]
    st.title(slide.label or meta["short_title"], anchor=False)
    st.caption(f"{slide.goal} · {d.area_name}")
    sources = view.sources or "–"
    # The verdict and the source first: on a 1280×720 projector they stay on screen above the chart.
    st.markdown(indicator_block.text_summary(d, s, gender))
    st.caption(t("ind_sources", sources=sources))
    left, right = st.columns([5, 2])
    with left:
        # The indicator page's chart: girls, boys and the total here against the comparison (dashed).
        view = indicator_block.trend_view(d, gender)
        frame, colours = view.frame, view.colours
        if frame[frame["status"] == "ok"].empty:
            st.info(t("pack_no_chart"))
        else:
            notes = cat.annotations(ctx.kommun, ctx.strategy.id, meta["id"])
            # The strategy's years' labels stand above the plot: the slide's chart keeps its whole height.
            # Two sizes, one shown by the screen's height (CSS): a short projector gets the lower chart (a
            # scaled drawing squeezed its plot), the same data and words.
            for key, height, scale, beside in (
                    ("pres_chart", CHART_HEIGHT, CHART_FONT_SCALE, len(colours) > 3),
                    # the lower chart keeps its legend beside the plot: below, it took the plot's height
                    ("pres_chart_short", SHORT_CHART_HEIGHT, SHORT_CHART_FONT_SCALE, True)):
                with st.container(key=key):
                    charts.show("trend", frame, unit, dec, colours, breaks=cat.series_breaks(meta["id"]),
                                height=height - int(charts.MILESTONE_LABEL_PX * scale),
                                notes=notes, start_year=ctx.strategy.period_start,
                                baseline_year=ctx.baseline_year, subject=meta["short_title"], **view.kwargs(),
                                # a slide has width, not height
                                legend_orient="right" if beside else "bottom",
                                footer=charts.footer_lines(f"{meta['short_title']} ({unit})", sources, width=100),
                                font_scale=scale,
                                alt_text=t("pack_chart_alt", title=meta["short_title"],
                                           series=", ".join(colours)))
    with right, st.container(key="pres_figures"):
        st.html(keyfigures.html_block(indicator_block.key_figures(d, s, "", gender), slide=True))


def _methods(ctx: ViewContext, _slide: pres.Slide) -> None:
    st.title(t("pack_methods_heading"), anchor=False)
    for text in (t("pack_method_verdicts"), t("pack_method_disclosure", threshold=cat.usual_threshold()),
                 t("pack_method_sources")):
        st.markdown(text)
    if ctx.store.is_demo:
        st.warning(t("pack_demo_long"))
