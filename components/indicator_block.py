"""One indicator block, the same shape everywhere: key figures, trend against the comparison (with a
confidence band where there is one), gender breakdown and gap, a text summary, the data table,
definition + source + fetch date, and a CSV download."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import charts, fmt, inequality, layout, palette, tables, verdicts
from components.strings import gender_label, t
from services import catalogue as cat
from services import changes as since
from services import districts as svc_d
from services import indicators as svc
from services.analysis import gender_gap
from services.filters import Filters


def text_summary(d: svc.IndicatorData, s: svc.Summary, gender: str) -> str:
    """A sentence a screen reader (or the minutes) can use instead of the chart."""
    meta = d.meta
    dec, unit = int(meta["decimals"]), meta["unit"]
    who = "" if gender == "T" else f" ({gender_label(gender, meta['gender_labels']).lower()})"
    if s.latest is None:
        return f"Det finns inga publicerade värden för {d.area_name}{who} med nuvarande urval."
    parts = [f"{d.area_name}{who}: {fmt.with_unit(s.latest['value'], dec, unit)} år {int(s.latest['year'])}."]
    if s.change.label not in ("no_data", "no_new"):
        parts.append(f"Förändring: {verdicts.change_text(s.change, dec, unit)}.")
    if s.trend is not None:
        parts.append(f"Trend: {verdicts.trend_text(s.trend, meta['polarity'], dec, unit)}.")
    if s.bench_value is not None:
        standing = t(tables.ASSESS_TEXT[s.standing]).lower()
        if s.standing == "no_test":
            standing = verdicts.standing_untested(s.latest["value"], s.bench_value, dec, unit)
        parts.append(f"{d.comparison.label}: {fmt.with_unit(s.bench_value, dec, unit)} – {standing}.")
    if s.gap_test is not None and s.gap_test.diff is not None:
        lk, lm = gender_label("K", meta["gender_labels"]), gender_label("M", meta["gender_labels"])
        parts.append(f"Skillnad {lk.lower()} − {lm.lower()} {s.gap_year}: "
                     f"{verdicts.gap_text(s.gap_test, dec, unit)}.")
    return " ".join(parts)


def changed_points(f: Filters, indicator_id: str, area_id: str, area_name: str, gender: str, dec: int,
                   unit: str) -> pd.DataFrame:
    """The trend's values that are new or revised since ``f.sedan`` (series, year, what)."""
    if not f.sedan:
        return pd.DataFrame(columns=["series", "year", "what"])
    frame = since.for_indicator(since.changes(f.kommun, cat.strategy_for(f.kommun).id, f.sedan), indicator_id, area_id)
    frame = frame[(frame["gender"] == gender) & (frame["change"] != "withdrawn")].sort_values("year")
    what = [f"{t('change_' + c)} {int(y)}" + (f": {fmt.number(o, dec)} → {fmt.with_unit(n, dec, unit)}" if c == "revised" else "")
            for c, y, o, n in zip(frame["change"], frame["year"], frame["old_value"], frame["new_value"], strict=True)]
    return pd.DataFrame({"series": area_name, "year": frame["year"].astype(int).to_numpy(), "what": what})


def render(indicator_id: str, f: Filters, baseline_year: int, label: str | None = None,
           key: str = "") -> None:
    d = svc.indicator_data(indicator_id, f)
    meta = d.meta
    dec, unit = int(meta["decimals"]), meta["unit"]
    gender = f.kon if meta["gender_split"] else "T"
    s = svc.summarise(d, gender, baseline_year)
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
    mixed = cat.mixed_methods(indicator_id, d.area_id, d.comparison.area_ids)
    if mixed:
        st.caption(mixed)
    sources = svc.sources_line(d) or fmt.MISSING
    st.caption(t("ind_sources", sources=sources))
    tab_trend, tab_gender, tab_gaps, tab_table, tab_about = layout.lazy_tabs(
        [t("ind_tab_trend"), t("ind_tab_gender"), t("ind_tab_gaps"), t("ind_tab_table"), t("ind_tab_about")],
        key=f"w_tabs_{key}{indicator_id}")
    with tab_trend:
        if layout.is_open(tab_trend):
            frame, order = svc.trend_frame(d, gender)
            colours = dict(zip(order, [palette.MUNICIPALITY, palette.COMPARISON], strict=False))
            if frame[frame["status"] == "ok"].empty:
                st.info(t("empty_indicator", title=meta["short_title"]))
            else:
                breaks = cat.series_breaks(indicator_id)
                notes = cat.annotations(f.kommun, cat.strategy_for(f.kommun).id, indicator_id)
                changed = changed_points(f, indicator_id, d.area_id, d.area_name, gender, dec, unit)
                charts.show("trend", frame, unit, dec, colours, breaks=breaks, notes=notes, changed=changed, height=380,
                            footer=charts.footer_lines(f"{meta['short_title']} ({unit}){who}", sources),
                            download=_stem(meta, d, "utveckling"), download_id=f"{indicator_id}_{d.area_id}_utveckling",
                            alt_text=f"Linjediagram: {meta['short_title']} per år för {', '.join(colours)}. "
                                     "Värdena finns under fliken Tabell.")
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
    with tab_gender:
        if layout.is_open(tab_gender):
            _gender(indicator_id, d, names, sources)
    with tab_gaps:
        if layout.is_open(tab_gaps):
            _gaps(indicator_id, d, f, gender, sources)
    with tab_table:
        if layout.is_open(tab_table):
            frame_all = d.own.assign(series=d.area_name)
            comp = d.comp_members.assign(series=d.comp_members["area_name"])
            table = tables.data_table(pd.concat([frame_all, comp], ignore_index=True), dec, meta["gender_labels"])
            st.dataframe(table, hide_index=True, width="stretch")
            st.caption(t("suppressed_legend", threshold=cat.suppression_threshold(meta)))
    with tab_about:
        if layout.is_open(tab_about):
            _about(meta, indicator_id)
    export = svc.export_frame(d, names)
    st.download_button(
        t("download_csv"), svc.to_csv_bytes(export, svc.is_demo_store()),
        file_name=fmt.file_name(meta["short_title"], d.area_name, ext="csv", demo=svc.is_demo_store()),
        mime="text/csv", key=f"dl_{key}{indicator_id}",
        icon=":material/download:")


def _stem(meta, d: svc.IndicatorData, what: str) -> str:
    """A chart image's file name without extension: "Trygghet – Trelleborg – utveckling (demodata)"."""
    return fmt.file_stem(meta["short_title"], d.area_name, what, demo=svc.is_demo_store())


def _gender(indicator_id: str, d: svc.IndicatorData, names: dict, sources: str) -> None:
    """The "Kön" tab: the values of girls and boys (women and men) over the years, and their gap."""
    meta = d.meta
    dec, unit = int(meta["decimals"]), meta["unit"]
    lk, lm = names["K"], names["M"]
    if not meta["gender_split"]:
        st.info(t("ind_no_gender"))
    else:
        gframe = svc.gender_frame(d, names)
        gcolours = {names["K"]: palette.GIRLS, names["M"]: palette.BOYS}
        if gframe[gframe["status"] == "ok"].empty:
            st.info(t("empty_indicator", title=meta["short_title"]))
        else:
            charts.show("trend", gframe, unit, dec, gcolours, breaks=cat.series_breaks(indicator_id),
                        height=380, footer=charts.footer_lines(
                            f"{meta['short_title']} ({unit}) per kön, {d.area_name}", sources),
                        download=_stem(meta, d, "per kön"), download_id=f"{indicator_id}_{d.area_id}_kon",
                        alt_text=f"Linjediagram: {meta['short_title']} per år och kön. "
                                             "Värdena finns under fliken Tabell.")
            gap = gender_gap(d.own)
            if not gap.empty:
                charts.show("gap", gap, unit, dec, lk, lm, height=260, footer=charts.footer_lines(
                            f"{meta['short_title']}: {lk.lower()} − {lm.lower()}, {d.area_name}", sources),
                            alt_text=f"Stapeldiagram: skillnaden {lk.lower()} minus {lm.lower()} per år.")


def _gaps(indicator_id: str, d: svc.IndicatorData, f: Filters, gender: str, sources: str) -> None:
    """The "Skillnader" tab: is the gap between girls and boys, and between the districts, narrowing?"""
    meta = d.meta
    by_district = "district" in str(meta["levels"]).split(",") and not d.is_district
    if not meta["gender_split"] and not by_district:
        st.info(t("ind_gaps_none"))
        return
    if meta["gender_split"]:
        inequality.gender_section(indicator_id, d, meta["gender_labels"] or None, sources)
    if by_district:
        inequality.district_section(indicator_id, f.kommun, gender, meta, compact=True)
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
    """The four key figures: latest value, change since the baseline, the comparison, the gender gap."""
    dec, unit = int(d.meta["decimals"]), d.meta["unit"]
    c1, c2, c3, c4 = st.columns(4)
    latest_text = fmt.with_unit(s.latest["value"], dec, unit) if s.latest is not None else fmt.MISSING
    c1.metric(t("ind_latest_year", year=int(s.latest["year"]), who=who) if s.latest is not None else t("ind_latest"),
              latest_text)
    if s.change.label not in ("no_data", "no_new"):
        c2.metric(t("ind_change_since", year=s.change.from_year), fmt.signed_unit(s.change.diff, dec, unit),
                  delta=verdicts.change_short(s.change), delta_color="off", delta_arrow="off")
    else:
        c2.metric(t("ind_change"), fmt.MISSING)
    c3.metric(f"{d.comparison.label}"[:40], fmt.number(s.bench_value, dec),
              delta=t(tables.ASSESS_TEXT[s.standing]), delta_color="off", delta_arrow="off")
    gap_delta = None
    if s.gap_test is not None and s.gap_test.diff is not None:
        sig = s.gap_test.test.significant if s.gap_test.test is not None else None
        gap_delta = verdicts.UNTESTED if sig is None else (verdicts.SURE_DIFFERENCE if sig else verdicts.NO_SURE_DIFFERENCE)
    c4.metric(t("ind_gap", k=lk.lower(), m=lm.lower()),
              fmt.signed_unit(s.gap, dec, unit) if s.gap is not None else fmt.MISSING,
              delta=gap_delta, delta_color="off", delta_arrow="off")


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
    out.append(Figure(d.comparison.label[:40], fmt.with_unit(s.bench_value, dec, unit)
                      if s.bench_value is not None else fmt.MISSING, t(tables.ASSESS_TEXT[s.standing])))
    if "district" in str(d.meta["levels"]).split(",") and not d.is_district:
        res = svc_d.inequality(d.meta["id"], d.area_id, gender)
        ok = res.years[res.years["status"] == "ok"]
        if not ok.empty:
            last = ok.iloc[-1]
            out.append(Figure(t("ind_sii_figure", year=int(last["year"])), fmt.signed_unit(last["sii"], dec + 1, unit),
                              verdicts.gap_change_cell(res.change, dec + 1, unit)))
    return out
