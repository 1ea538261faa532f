"""One indicator block, the same shape everywhere: key figures, trend against the comparison (with a
confidence band where there is one), gender breakdown and gap, a text summary, the data table,
definition + source + fetch date, and a CSV download."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import charts, fmt, how, inequality, keyfigures, layout, palette, tables, verdicts
from components.strings import gender_label, t
from services import catalogue as cat
from services import changes as since
from services import districts as svc_d
from services import exports
from services import indicators as svc
from services.analysis import gender_gap
from services.filters import Filters
from services.scope import ViewContext


def text_summary(d: svc.IndicatorData, s: svc.Summary, gender: str) -> str:
    """A sentence a screen reader (or the minutes) can use instead of the chart."""
    meta = d.meta
    dec, unit = int(meta["decimals"]), meta["unit"]
    who = "" if gender == "T" else f" ({gender_label(gender, meta['gender_labels']).lower()})"
    if s.latest is None:
        return f"Det finns inga publicerade värden för {d.area_name}{who} med nuvarande urval."
    count = " (antal)" if unit == "antal" else ""  # '130 år 2025' would read as an age
    parts = [f"{d.area_name}{who} {int(s.latest['year'])}: {fmt.with_unit(s.latest['value'], dec, unit)}{count}."]
    if s.change.label not in ("no_data", "no_new"):
        parts.append(f"Förändring: {verdicts.change_text(s.change, dec, unit)}.")
    if s.trend is not None:
        parts.append(f"Trend: {verdicts.trend_text(s.trend, meta['polarity'], dec, unit)}.")
    w = standing_of(d, s)
    if s.bench_value is not None:
        parts.append(f"{w.head} ({'; '.join(w.lines)}).")
    if w.rank:
        parts.append(f"{w.rank}.")
    if s.gap_test is not None and s.gap_test.diff is not None:
        lk, lm = gender_label("K", meta["gender_labels"]), gender_label("M", meta["gender_labels"])
        parts.append(f"Skillnad {lk.lower()} − {lm.lower()} {s.gap_year}: "
                     f"{verdicts.gap_text(s.gap_test, dec, unit)}.")
    return " ".join(parts)


def how_texts(d: svc.IndicatorData, s: svc.Summary) -> list[str]:
    """What 'Hur vet vi det?' says for the block: how the change, the trend, the comparison and the gap
    between the genders were judged."""
    out = []
    if s.change.label not in ("no_data", "no_new") and verdicts.change_how(s.change):
        out.append(f"**Förändringen:** {verdicts.change_how(s.change)}")
    if s.trend is not None:
        out.append(f"**Trenden:** {verdicts.trend_how(s.trend)}")
    w = standing_of(d, s)
    out.append(f"**Jämförelsen:** {w.how}")
    if s.gap_test is not None and s.gap_test.diff is not None and verdicts.gap_how(s.gap_test):
        out.append(f"**Flickor och pojkar:** {verdicts.gap_how(s.gap_test)}")
    return out


def standing_of(d: svc.IndicatorData, s: svc.Summary) -> verdicts.StandingWords:
    """The block's standing against its comparison (a district against its municipality), in words."""
    name = "kommunen" if d.is_district else tables.comparison_name(d.comparison.label)
    latest = None if s.latest is None else float(s.latest["value"])
    p = s.rate.p_against(s.bench_value) if s.rate is not None and s.bench_value is not None else None
    return verdicts.standing_words(s.standing, latest, s.bench_value, int(d.meta["decimals"]), d.meta["unit"],
                                   name, s.basis, s.rank, None if s.latest is None else int(s.latest["year"]),
                                   p, s.rate)


@dataclass
class TrendView:
    """One trend chart's rows and styles: the area solid, its comparison dashed; girls, boys and the total
    each in their own colour and shape (the same colour here and in the comparison)."""
    frame: pd.DataFrame
    colours: dict[str, str]
    dashes: dict[str, list[int]]
    shapes: dict[str, str]
    bands: tuple[str, ...]

    @property
    def has_comparison(self) -> bool:
        return any(dash == charts.DASHED for dash in self.dashes.values())

    def kwargs(self) -> dict:
        return {"dashes": self.dashes, "shapes": self.shapes, "bands": self.bands}


_OWN_COLOURS = {"K": palette.GIRLS, "M": palette.BOYS, "T": palette.MUNICIPALITY}
_COMP_COLOURS = {"K": palette.GIRLS, "M": palette.BOYS, "T": palette.COMPARISON}
_OWN_SHAPES = {"K": "circle", "M": "square", "T": "diamond"}
_COMP_SHAPES = {"K": "triangle-up", "M": "triangle-down", "T": "cross"}


def trend_view(d: svc.IndicatorData, gender: str, with_total: bool = True) -> TrendView:
    """The area and its comparison over the years. With the gender "T" chosen and an indicator split by
    gender: girls, boys (women, men) and, ``with_total``, the total, for the area and for the comparison
    where the store has them; else the chosen gender alone, named by area as before."""
    labels = d.meta["gender_labels"] or None
    split = bool(d.meta["gender_split"]) and gender == "T"
    genders = (("K", "M", "T") if with_total else ("K", "M")) if split else (gender,)
    rows = svc.gender_trend_frame(d, genders)
    if split:
        rows["series"] = [t("chart_series", who=t("chart_total") if g == "T" else gender_label(g, labels), area=a)
                          for g, a in zip(rows["gender"], rows["area"], strict=True)]
    elif gender != "T":
        rows["series"] = [t("chart_series", who=gender_label(gender, labels), area=a) for a in rows["area"]]
    else:
        rows["series"] = rows["area"]
    colours, dashes, shapes = {}, {}, {}
    for role in ("own", "comp"):
        for g in genders:
            part = rows[(rows["role"] == role) & (rows["gender"] == g)]
            if part.empty:
                continue
            name = part["series"].iloc[0]
            if split:
                colours[name] = (_OWN_COLOURS if role == "own" else _COMP_COLOURS)[g]
                shapes[name] = (_OWN_SHAPES if role == "own" else _COMP_SHAPES)[g]
            else:
                colours[name] = palette.MUNICIPALITY if role == "own" else palette.COMPARISON
            dashes[name] = charts.SOLID if role == "own" else charts.DASHED
    # Bands: with the total drawn, the area's total only (three overlapping bands read as one grey field);
    # girls and boys alone, both of theirs; one gender, the area's and the comparison's as before.
    own = rows[rows["role"] == "own"]
    if split:
        bands = tuple(dict.fromkeys(own.loc[own["gender"] == "T", "series"] if with_total else own["series"]))
    else:
        bands = tuple(colours)
    frame = rows[["series", "year", "value", "ci_low", "ci_high", "status", "n", "source_text"]]
    return TrendView(frame, colours, dashes, shapes, bands)


def year_table_html(d: svc.IndicatorData) -> str:
    """The "Tabell" tab: one row per year, the area's total, girls and boys (women and men) and then the
    comparison's (its mean for a group), '..' where a cell is suppressed and '–' where there is none."""
    meta = d.meta
    dec, labels = int(meta["decimals"]), meta["gender_labels"] or None
    genders = ["T", "K", "M"] if meta["gender_split"] else ["T"]
    rows = svc.gender_trend_frame(d, tuple(genders))
    areas = list(dict.fromkeys(rows["area"]))
    cells = {(a, g, int(y)): fmt.cell(v, st_, dec) for a, g, y, v, st_ in
             zip(rows["area"], rows["gender"], rows["year"], rows["value"], rows["status"], strict=True)}
    cols = [(a, g) for a in areas for g in genders if any(k[0] == a and k[1] == g for k in cells)]
    years = sorted({k[2] for k in cells})
    e = html.escape
    caption = t("ind_table_caption", title=meta["short_title"], unit=meta["unit"], areas=", ".join(areas))
    top = "".join(f"<th scope='colgroup' colspan='{sum(1 for c in cols if c[0] == a)}'>{e(a)}</th>"
                  for a in areas if any(c[0] == a for c in cols))
    sub = "".join(f"<th scope='col'>{e(t('chart_total') if g == 'T' else gender_label(g, labels))}</th>"
                  for _, g in cols)
    # Each row says where its values come from, per area (a copied table keeps it; demo cells say DEMODATA).
    sources = {(a, int(y)): x for a, y, x in zip(rows["area"], rows["year"], rows["source_text"], strict=True)
               if isinstance(x, str) and x}
    src = {y: " · ".join(f"{a}: {sources[(a, y)]}" for a in areas if (a, y) in sources) for y in years}
    body = "".join(f"<tr><th scope='row'>{y}</th>"
                   + "".join(f"<td class='num'>{e(cells.get((a, g, y), fmt.MISSING))}</td>" for a, g in cols)
                   + f"<td class='small source'>{e(src[y])}</td></tr>" for y in years)
    year_head = e(t("ind_table_year"))
    return (f"{tables.CSS}<div class='ind-wrap'><table class='ind'><caption>{e(caption)}</caption>"
            f"<thead><tr><th scope='col' rowspan='2'>{year_head}</th>{top}"
            f"<th scope='col' rowspan='2'>{e(t('ind_table_source'))}</th></tr><tr>{sub}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def standing_note(d: svc.IndicatorData, s: svc.Summary) -> str:
    """The comparison's key figure note: the answer, what the figure is, the place among all municipalities
    (the comparison's own value is the figure itself)."""
    w = standing_of(d, s)
    return "; ".join((w.head, *w.lines[1:], *((w.rank,) if w.rank else ())))


def changed_points(f: Filters, strategy_id: str, indicator_id: str, area_id: str, area_name: str, gender: str,
                   dec: int, unit: str) -> pd.DataFrame:
    """The trend's values that are new or revised since ``f.sedan`` (series, year, what)."""
    if not f.sedan:
        return pd.DataFrame(columns=["series", "year", "what"])
    frame = since.for_indicator(since.changes(f.kommun, strategy_id, f.sedan), indicator_id, area_id)
    frame = frame[(frame["gender"] == gender) & (frame["change"] != "withdrawn")].sort_values("year")
    what = [f"{t('change_' + c)} {int(y)}" + (f": {fmt.number(o, dec)} → {fmt.with_unit(n, dec, unit)}" if c == "revised" else "")
            for c, y, o, n in zip(frame["change"], frame["year"], frame["old_value"], frame["new_value"], strict=True)]
    return pd.DataFrame({"series": area_name, "year": frame["year"].astype(int).to_numpy(), "what": what})


def render(indicator_id: str, ctx: ViewContext, label: str | None = None, key: str = "") -> None:
    """One indicator for the resolved scope: the verdict in words, key figures, the trend, girls and
    boys, the gaps, every year's table and the definition."""
    f, baseline_year = ctx.filters, ctx.baseline_year
    view = svc.indicator_view(indicator_id, ctx)
    d, gender, s, meta = view.data, view.gender, view.summary, view.meta
    _heading(d, label, district_chosen=bool(f.omrade))

    if d.own.empty:
        st.info(t("empty_indicator", title=meta["short_title"]))
        _about(meta, indicator_id)
        return

    names = {g: gender_label(g, meta["gender_labels"] or None) for g in ("T", "K", "M")}
    lk, lm = names["K"], names["M"]
    who = "" if gender == "T" else f", {gender_label(gender, meta['gender_labels']).lower()}"
    _metrics(d, s, who, lk, lm)
    st.markdown(text_summary(d, s, gender))
    how.popover(*how_texts(d, s), key=f"how_{key}{indicator_id}")
    mixed = cat.mixed_methods(indicator_id, d.area_id, d.comparison.area_ids)
    if mixed:
        st.caption(mixed)
    sources = view.sources or fmt.MISSING
    st.caption(t("ind_sources", sources=sources))
    tab_trend, tab_gender, tab_gaps, tab_table, tab_about = layout.lazy_tabs(
        [t("ind_tab_trend"), t("ind_tab_gender"), t("ind_tab_gaps"), t("ind_tab_table"), t("ind_tab_about")],
        key=f"w_tabs_{key}{indicator_id}")
    with tab_trend:
        if layout.is_open(tab_trend):
            _trend(indicator_id, d, f, gender, baseline_year, sources, who)
    with tab_gender:
        if layout.is_open(tab_gender):
            _gender(indicator_id, d, names, sources, baseline_year)
    with tab_gaps:
        if layout.is_open(tab_gaps):
            _gaps(indicator_id, d, gender, sources)
    with tab_table:
        if layout.is_open(tab_table):
            # Every year in one table, the comparison's columns beside the area's (no inner scroll box).
            st.html(year_table_html(d))
            st.caption(t("ind_sources", sources=sources))
            if d.comparison.mode != "area" and not d.comp_members.empty:
                st.caption(t("ind_table_members"))
            st.caption(t("suppressed_legend", threshold=cat.suppression_threshold(meta)))
    with tab_about:
        if layout.is_open(tab_about):
            _about(meta, indicator_id)
    export = exports.export_frame(d, names)
    st.download_button(
        t("download_csv"), exports.to_csv_bytes(export, svc.is_demo_store()),
        file_name=fmt.file_name(meta["short_title"], d.area_name, ext="csv", demo=svc.is_demo_store()),
        mime="text/csv", key=f"dl_{key}{indicator_id}",
        icon=":material/download:")


def _trend(indicator_id: str, d: svc.IndicatorData, f: Filters, gender: str, baseline_year: int, sources: str,
           who: str) -> None:
    """The "Utveckling" tab: girls, boys and the total against the comparison (dashed), the strategy's
    baseline and start, series breaks, notes and what is new since a day."""
    meta = d.meta
    dec, unit = int(meta["decimals"]), meta["unit"]
    view = trend_view(d, gender)
    frame, colours = view.frame, view.colours
    if frame[frame["status"] == "ok"].empty:
        st.info(t("empty_indicator", title=meta["short_title"]))
    else:
        strategy = d.strategy
        breaks = cat.series_breaks(indicator_id)
        notes = cat.annotations(f.kommun, strategy.id, indicator_id)
        changed = changed_points(f, strategy.id, indicator_id, d.area_id, d.area_name, gender, dec, unit)
        if len(set(colours.values())) < len(colours):  # changed rings sit on the area's total
            changed = changed.assign(series=t("chart_series", who=t("chart_total"), area=d.area_name))
        charts.show("trend", frame, unit, dec, colours, breaks=breaks, notes=notes, changed=changed, height=380,
                    start_year=strategy.period_start, baseline_year=baseline_year,
                    subject=meta["short_title"], **view.kwargs(),
                    footer=charts.footer_lines(f"{meta['short_title']} ({unit}){who}", sources),
                    download=_stem(meta, d, "utveckling"), download_id=f"{indicator_id}_{d.area_id}_utveckling",
                    alt_text=f"Linjediagram: {meta['short_title']} per år för {', '.join(colours)}. "
                             "Värdena finns under fliken Tabell.")
        has_band = frame["series"].isin(view.bands) & frame["ci_low"].notna() & (frame["status"] == "ok")
        band = t("ind_trend_band", area=d.area_name) if has_band.any() else ""
        if view.has_comparison:
            st.caption(t("ind_trend_caption", area=d.area_name, comparison=svc.comparison_series_name(d),
                         band=band))
        elif band:
            st.caption(band.strip())
        if (frame["status"] == "suppressed").any():
            st.caption(t("suppressed_legend", threshold=cat.suppression_threshold(meta)))
        for year, text in zip(breaks["year"], breaks["description"], strict=True):
            st.caption(t("series_break", year=int(year), text=text))
        if not changed.empty:
            st.caption(t("since_chart_caption", date=f.sedan, what="; ".join(changed["what"])))
        for n in notes.itertuples():
            st.caption(t("note_line", number=n.number, year=int(n.year), text=n.text,
                         example=t("note_example") if n.is_example else "",
                         source=f" ({n.source})" if isinstance(n.source, str) and n.source else ""))


def _stem(meta, d: svc.IndicatorData, what: str) -> str:
    """A chart image's file name without extension: "Trygghet – Trelleborg – utveckling (demodata)"."""
    return fmt.file_stem(meta["short_title"], d.area_name, what, demo=svc.is_demo_store())


def _gender(indicator_id: str, d: svc.IndicatorData, names: dict, sources: str, baseline_year: int) -> None:
    """The "Kön" tab: the values of girls and boys (women and men) over the years, and their gap."""
    meta = d.meta
    dec, unit = int(meta["decimals"]), meta["unit"]
    lk, lm = names["K"], names["M"]
    if not meta["gender_split"]:
        st.info(t("ind_no_gender"))
    else:
        # Girls and boys here beside the comparison's girls and boys (dashed), without the totals.
        view = trend_view(d, "T", with_total=False)
        gframe = view.frame
        if gframe[gframe["status"] == "ok"].empty:
            st.info(t("empty_indicator", title=meta["short_title"]))
        else:
            strategy = d.strategy
            charts.show("trend", gframe, unit, dec, view.colours, breaks=cat.series_breaks(indicator_id),
                        height=380, start_year=strategy.period_start, baseline_year=baseline_year,
                        subject=meta["short_title"], **view.kwargs(), footer=charts.footer_lines(
                            f"{meta['short_title']} ({unit}) per kön, {d.area_name}", sources),
                        download=_stem(meta, d, "per kön"), download_id=f"{indicator_id}_{d.area_id}_kon",
                        alt_text=f"Linjediagram: {meta['short_title']} per år och kön. "
                                             "Värdena finns under fliken Tabell.")
            if view.has_comparison:
                st.caption(t("ind_gender_caption", area=d.area_name, comparison=svc.comparison_series_name(d),
                             k=lk.lower(), m=lm.lower()))
            gap = gender_gap(d.own)
            if not gap.empty:
                charts.show("gap", gap, unit, dec, lk, lm, height=260, footer=charts.footer_lines(
                            f"{meta['short_title']}: {lk.lower()} − {lm.lower()}, {d.area_name}", sources),
                            alt_text=f"Stapeldiagram: skillnaden {lk.lower()} minus {lm.lower()} per år.")


def _gaps(indicator_id: str, d: svc.IndicatorData, gender: str, sources: str) -> None:
    """The "Skillnader" tab: is the gap between girls and boys, and between the districts, narrowing?"""
    meta = d.meta
    by_district = "district" in str(meta["levels"]).split(",") and not d.is_district
    if not meta["gender_split"] and not by_district:
        st.info(t("ind_gaps_none"))
        return
    if meta["gender_split"]:
        inequality.gender_section(indicator_id, d, meta["gender_labels"] or None, sources)
    if by_district:
        inequality.district_section(indicator_id, d.strategy.municipality_id, d.strategy.municipality, gender, meta,
                                    compact=True)
        st.caption(t("ind_gaps_map_link"))


def _heading(d: svc.IndicatorData, label: str | None, district_chosen: bool) -> None:
    meta = d.meta
    st.subheader(label or meta["short_title"], anchor=False)
    if label and label != meta["title"]:
        st.caption(t("ind_catalogue_title", title=meta["title"]))
    if d.is_district:
        st.caption(t("ind_district", name=d.area_name))
    elif district_chosen:
        st.caption(t("ind_no_district"))


def _metrics(d: svc.IndicatorData, s: svc.Summary, who: str, lk: str, lm: str) -> None:
    """The four key figures: latest value, change since the baseline, the comparison, the gender gap. Drawn as
    wrapping text (components/keyfigures.py): st.metric cut "±0,0 procentenheter" to "±0,0 procenten…"."""
    dec, unit = int(d.meta["decimals"]), d.meta["unit"]
    latest_key = "ind_latest_district" if d.is_district else "ind_latest_year"
    figures = [Figure(t(latest_key, name=d.area_name, year=int(s.latest["year"]), who=who),
                      fmt.with_unit(s.latest["value"], dec, unit))
               if s.latest is not None else Figure(t("ind_latest"), fmt.MISSING)]
    if s.change.label not in ("no_data", "no_new"):
        figures.append(Figure(t("ind_change_since", year=s.change.from_year), fmt.signed_unit(s.change.diff, dec, unit),
                              verdicts.change_short(s.change)))
    else:
        figures.append(Figure(t("ind_change"), fmt.MISSING))
    figures.append(Figure(d.comparison.label, fmt.with_unit(s.bench_value, dec, unit) if s.bench_value is not None
                          else fmt.MISSING, standing_note(d, s)))
    gap_note = ""
    if s.gap_test is not None and s.gap_test.diff is not None:
        sig = s.gap_test.test.significant if s.gap_test.test is not None else None
        gap_note = verdicts.UNTESTED if sig is None else (verdicts.SURE_DIFFERENCE if sig else verdicts.NO_SURE_DIFFERENCE)
    figures.append(Figure(t("ind_gap", k=lk.lower(), m=lm.lower()),
                          fmt.signed_unit(s.gap, dec, unit) if s.gap is not None else fmt.MISSING, gap_note))
    st.html(keyfigures.html_block(figures))


def _about(meta, indicator_id: str) -> None:
    fetch = cat.latest_fetch(indicator_id)
    rows = [
        f"**Definition:** {meta['definition']}",
        f"**Enhet:** {meta['unit']} · **Polaritet:** "
        + {"higher_better": "högre är bättre", "lower_better": "lägre är bättre", "neutral": "neutral"}[meta["polarity"]],
        f"**Källa:** {meta['source_name']}" + (f" (id {meta['source_id']})" if meta["source_id"] else ""),
    ]
    if meta["age_group"]:
        rows.append(f"**Åldersgrupp:** {meta['age_group']}")
    if meta["kind"] == "survey":
        rows.append(f"**Undertryckning:** celler med färre än {cat.suppression_threshold(meta)} "
                    "svarande visas som `..`.")
    if fetch is not None:
        demo = " – **demodata, inte officiell statistik**" if fetch["is_demo"] else ""
        rows.append(f"**Hämtad:** {str(fetch['fetched_at'])[:10]} från {fetch['source']}{demo}")
    if meta["note"]:
        rows.append(f"**Att tänka på:** {meta['note']}")
    st.markdown("  \n".join(rows))


@dataclass
class Figure:
    label: str
    value: str
    note: str = ""


def key_figures(d: svc.IndicatorData, s: svc.Summary, who: str, gender: str = "T") -> list[Figure]:
    """Latest value, change since the baseline and the comparison, as label, value and verdict (the meeting
    pack and the presentation); for a district indicator shown for the whole municipality also the difference
    between its districts (SII, latest year) and whether it has changed (tested)."""
    dec, unit = int(d.meta["decimals"]), d.meta["unit"]
    out = []
    if s.latest is not None:
        out.append(Figure(t("ind_latest_year", year=int(s.latest["year"]), who=who),
                          fmt.with_unit(s.latest["value"], dec, unit)))
    else:
        out.append(Figure(t("ind_latest"), fmt.MISSING))
    if s.change.label not in ("no_data", "no_new"):
        out.append(Figure(t("ind_change_since", year=s.change.from_year), fmt.signed_unit(s.change.diff, dec, unit),
                          verdicts.change_short(s.change)))
    else:
        out.append(Figure(t("ind_change"), fmt.MISSING))
    out.append(Figure(d.comparison.label, fmt.with_unit(s.bench_value, dec, unit)
                      if s.bench_value is not None else fmt.MISSING, standing_note(d, s)))
    if "district" in str(d.meta["levels"]).split(",") and not d.is_district:
        res = svc_d.inequality(d.meta["id"], d.area_id, gender)
        ok = res.years[res.years["status"] == "ok"]
        if not ok.empty:
            last = ok.iloc[-1]
            out.append(Figure(t("ind_sii_figure", year=int(last["year"])), fmt.signed_unit(last["sii"], dec + 1, unit),
                              verdicts.gap_change_cell(res.change, dec + 1, unit)))
    return out
