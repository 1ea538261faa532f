"""Skillnader: is the difference between the districts (or between girls and boys) getting smaller?

The slope index of inequality over the years with its interval and a tested sentence, the districts of the
latest year ordered by deprivation with the fitted line, and a table as the charts' accessible
alternative. The statistics are in ``services.inequality``; the wording in ``components.verdicts``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from components import charts, fmt, how, palette, verdicts
from components.strings import gender_label, t
from services import analysis
from services import districts as svc_d
from services import indicators as svc
from services import inequality as ineq


def district_section(indicator_id: str, kommun: str, municipality: str, gender: str, meta,
                     compact: bool = False) -> svc_d.Inequality:
    """The "Skillnader mellan delområdena" view for one indicator: full on the district page (with a choice of
    ranking measure), ``compact`` (sentence and SII chart, the default ranking) in the indicator block."""
    # SII and its interval get one decimal more than the values (Fingertips shows them with one).
    dec, unit = int(meta["decimals"]) + 1, meta["unit"]
    st.subheader(t("ineq_title"), anchor=False)
    measure = svc_d.DEPRIVATION_INDICATOR
    if not compact:
        _, system = svc_d.level_for(kommun, indicator_id)
        options = [m for m in svc_d.ranking_measures(kommun, system) if m != indicator_id]
        if len(options) == 1:
            measure = options[0]
        elif options:
            titles = svc_d.district_indicators()["short_title"]
            measure = st.selectbox(t("ineq_measure"), options, format_func=lambda m: titles.get(m, m),
                                   key="w_ineq_measure", help=t("ineq_measure_help"))
    res = svc_d.inequality(indicator_id, kommun, gender, measure)
    if res.reason:
        st.info(t("ineq_none", reason=res.reason))
        return res
    ok = res.years[res.years["status"] == "ok"]
    if ok.empty:
        st.info(t("ineq_too_few", n=ineq.MIN_DISTRICTS))
        if not compact:
            st.dataframe(year_table(res, dec, unit), hide_index=True, width="stretch")
        return res
    last = ok.iloc[-1]
    st.markdown(verdicts.sii_sentence(int(last["year"]), float(last["sii"]), _f(last["low"]), _f(last["high"]), dec,
                                      unit, int(last["districts"]), res.ranking.measure_label,
                                      note=last["method"] or verdicts.UNTESTED))
    st.markdown(verdicts.gap_change_sentence(res.change, dec, unit, t("ineq_subject_districts"), "SII"))
    how.popover(verdicts.gap_change_how(res.change), t("ineq_method", n=ineq.MIN_DISTRICTS))
    who = "" if gender == "T" else f", {gender_label(gender, meta['gender_labels']).lower()}"
    sources = res.source + (f" · Rangordning: {res.ranking.source}" if res.ranking and res.ranking.source else "")
    charts.show("gap_trend", ok[["year", "sii", "low", "high"]].rename(columns={"sii": "gap"}), unit, dec,
                "Lutningsindex SII", palette.MUNICIPALITY, height=240,
                footer=charts.footer_lines(f"{meta['short_title']}{who}: skillnad mellan delområdena (SII)", sources),
                download=None if compact else fmt.file_stem(meta["short_title"], municipality, "skillnad mellan delområden",
                                                            demo=svc.is_demo_store()),
                download_id=f"{indicator_id}_{kommun}_sii",
                alt_text=t("ineq_chart_alt", title=meta["short_title"]))
    if not compact and not res.latest.empty:
        st.markdown(t("ineq_gradient_heading", year=res.latest_year, measure=res.ranking.measure_label))
        # Where RegSO are ordered by their DeSO, that derived value is not shown (not even in the chart's data).
        gradient = res.latest[["name", "rank", "value", "ci_low", "ci_high", "population", "deprivation", "fitted"]]
        if res.ranking.from_deso:
            gradient = gradient.assign(deprivation=np.nan)
        charts.show("gradient", gradient,
                    dec - 1, f"{meta['short_title']} ({unit})",
                    "" if res.ranking.from_deso else res.ranking.measure_label, height=340,
                    footer=charts.footer_lines(f"{meta['short_title']}{who} {res.latest_year} per delområde, "
                                               f"rangordnade efter {res.ranking.measure_label}", sources),
                    download=fmt.file_stem(meta["short_title"], municipality, "delområden i rangordning",
                                           demo=svc.is_demo_store()),
                    download_id=f"{indicator_id}_{kommun}_rangordning",
                    alt_text=t("ineq_gradient_alt", title=meta["short_title"], year=res.latest_year))
    if not compact:
        st.dataframe(year_table(res, dec, unit), hide_index=True, width="stretch")
    for line in captions(res):
        st.caption(line)
    return res


def captions(res: svc_d.Inequality) -> list[str]:
    """What the measure rests on: the ranking and weights, hidden districts, SCB's noise, demo data, method."""
    r = res.ranking
    out = []
    if r is not None:
        text = t("ineq_ranked_by", measure=r.measure_label, year=r.deprivation_year or fmt.MISSING)
        if r.sign < 0:
            text += " " + t("ineq_reversed_measure")
        if r.from_deso:
            text += " " + t("ineq_from_deso")
        text += " " + (t("ineq_equal_weights") if r.equal_weights else t("ineq_weights", year=r.population_year))
        out.append(text)
        if r.noisy or res.noisy_values:
            out.append(t("ineq_noise"))
        if r.is_demo:
            out.append(t("ineq_demo_ranking"))
    hidden = int(res.years["hidden"].sum()) if not res.years.empty else 0
    if hidden:
        out.append(t("ineq_hidden", n=int(res.years["hidden"].max())))
    return out


def year_table(res: svc_d.Inequality, dec: int, unit: str) -> pd.DataFrame:
    """The SII chart's accessible alternative: one row per year."""
    y = res.years
    u = fmt.diff_unit(unit)

    def ci(lo, hi, d=dec):
        return f"{fmt.signed(lo, d)} till {fmt.signed(hi, d)}" if pd.notna(lo) and pd.notna(hi) else ""

    return pd.DataFrame({
        "År": y["year"].astype(int),
        "Delområden i beräkningen": y["districts"].astype(int),
        "Dolda (..)": y["hidden"].astype(int),
        "Saknas": (y["missing"] + y["unranked"]).astype(int),
        f"Högst − lägst ({u})" if u else "Högst − lägst": [fmt.number(g, dec - 1) for g in y["gap"]],
        f"SII ({u})" if u else "SII": [fmt.signed(s, dec) if pd.notna(s) else fmt.MISSING for s in y["sii"]],
        "SII, 95 % KI": [ci(lo, hi) for lo, hi in zip(y["low"], y["high"], strict=True)],
        "RII": [fmt.number(r, 2) if pd.notna(r) else fmt.MISSING for r in y["rii"]],
        "RII, 95 % KI": [ci(lo, hi, 2).replace("+", "") for lo, hi in zip(y["rii_low"], y["rii_high"], strict=True)],
        # The simulation behind an interval is told in "Hur vet vi det?"; a register's note stays.
        "Anmärkning": [("" if str(m).startswith("simulering") else m) if s == "ok" else (r or "")
                       for s, m, r in zip(y["status"], y["method"], y["reason"], strict=True)],
    })


def gender_section(indicator_id: str, d: svc.IndicatorData, gender_labels, sources: str) -> None:
    """Is the gap between girls and boys (women and men) narrowing? K − M per year with its interval and the
    first → latest comparable year tested (``services.inequality.gap_change``)."""
    meta = d.meta
    dec, unit = int(meta["decimals"]), meta["unit"]
    lk, lm = gender_label("K", gender_labels), gender_label("M", gender_labels)
    gaps = ineq.gender_gaps(d.own, analysis.is_share(unit))
    st.subheader(t("ineq_gender_title", k=lk.lower(), m=lm.lower()), anchor=False)
    if gaps.empty:
        st.info(t("ineq_gender_none"))
        return
    change = ineq.gap_change(gaps["year"], gaps["gap"], gaps["low"], gaps["high"],
                             svc.break_years(indicator_id, d.area_id))
    subject = t("ineq_subject_gender", k=lk.lower(), m=lm.lower())
    st.markdown(verdicts.gap_change_sentence(change, dec, unit, subject, f"{lk[0]} − {lm[0]}"))
    how.popover(verdicts.gap_change_how(change))
    charts.show("gap_trend", gaps, unit, dec, f"{lk} − {lm}", palette.GIRLS, height=220,
                footer=charts.footer_lines(f"{meta['short_title']}: {lk.lower()} − {lm.lower()}, {d.area_name}",
                                           sources),
                alt_text=t("ineq_gender_alt", k=lk.lower(), m=lm.lower()))


def _f(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)
