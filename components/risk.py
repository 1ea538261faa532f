"""Risk- och skyddsfaktorer (Katrineholm's model): factors on five levels and three categories, each
with its indicators' standing against the comparison and direction of change."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import fmt, tables
from services import catalogue as cat
from services import indicators as svc
from services.filters import Filters
from services.store import per_store

LEVELS = {"individ": "Individ", "familj": "Familj", "skola": "Skola", "narsamhalle": "Närsamhälle",
          "samhalle": "Samhällets struktur och normer"}
CATEGORIES = {"familj_natverk": "Familj/nätverk", "sysselsattning": "Sysselsättning",
              "fritid_sammanhang": "Fritid – sammanhang"}
TYPE_LABEL = {"risk": "Riskfaktor", "protective": "Skyddsfaktor"}


def factor_verdict(rows: pd.DataFrame, ftype: str) -> tuple[str, str]:
    """(css class, text) for a factor from its indicators' standings: a risk factor is 'hög' and a
    protective factor 'svag' where an indicator is worse than the comparison."""
    tested_worse = (rows["standing"] == "worse").sum()
    tested_better = (rows["standing"] == "better").sum()
    untested_worse = (rows["untested_side"] == "worse").sum()
    untested_better = (rows["untested_side"] == "better").sum()
    bad = "Hög risk" if ftype == "risk" else "Svagt skydd"
    good = "Låg risk" if ftype == "risk" else "Starkt skydd"
    if tested_worse:
        return "worse", f"▼ {bad}"
    if tested_better and not untested_worse:
        return "better", f"▲ {good}"
    if untested_worse > untested_better:
        return "no_test", f"▽ Tyder på {bad.lower()} (ej testat)"
    if untested_better > untested_worse:
        return "no_test", f"△ Tyder på {good.lower()} (ej testat)"
    if rows["standing"].eq("no_data").all():
        return "no_data", "– Uppgift saknas"
    if rows["standing"].isin(["no_test", "no_data"]).all():
        return "no_test", "○ Ej testbar"
    return "similar", "● Som jämförelsen"


def render(f: Filters) -> None:
    s = cat.strategy_for(f.kommun)
    comparison = svc.resolve_comparison(f)
    where = s.municipality + (f", delområde {svc.focus_area_label(f)}" if f.omrade else "")
    st.title(f"Risk- och skyddsfaktorer – {where}", anchor=False)
    st.markdown(
        "Modellen kommer från Katrineholms kommuns arbete med social hållbarhet: riskfaktorer ökar och "
        "skyddsfaktorer minskar sannolikheten för normbrytande beteende. Faktorerna verkar på fem nivåer och "
        "grupperas i tre huvudkategorier. Varje faktor mäts med en eller flera indikatorer, som här jämförs "
        f"med **{comparison.label}**" + (" (delområdet jämförs med hela kommunen där indikatorn finns per "
                                          "delområde)" if f.omrade else "") + ".")
    factors = cat.factors()
    if factors.empty:
        st.info("Databasen har inga risk- och skyddsfaktorer.")
        return
    matrix, details = _tables(f, s.baseline_year, comparison.label)
    st.subheader("Läget per nivå och kategori", anchor=False)
    st.caption("▼/▲ = säker skillnad mot jämförelsen (konfidensintervall); ▽/△ = skillnad utan test; "
               "● = ingen säker skillnad. Texten bär betydelsen – färgen är bara stöd.")
    st.html(matrix)

    st.subheader("Faktorer och indikatorer", anchor=False)
    for ftype, table in zip(("risk", "protective"), details, strict=True):
        st.markdown(f"#### {TYPE_LABEL[ftype]}er")
        st.html(table)
    st.caption("Källa för modellen: " + str(factors["source"].iloc[0]))


@per_store
def _tables(f: Filters, baseline_year: int, comparison_label: str) -> tuple[str, tuple[str, str]]:
    """The matrix and the two detail tables as HTML, built once per filters and store build."""
    factors = cat.factors()
    joined = svc.factor_status(f, baseline_year)
    verdicts = {fid: factor_verdict(rows, rows["type"].iloc[0]) for fid, rows in joined.groupby("factor_id")}
    details = tuple(_detail_table(joined[joined["type"] == ftype], verdicts, comparison_label)
                    for ftype in ("risk", "protective"))
    return _matrix(factors, verdicts), details


def _matrix(factors: pd.DataFrame, verdicts: dict) -> str:
    head = "<tr><th scope='col'>Nivå</th>" + "".join(
        f"<th scope='col'>{html.escape(c)}</th>" for c in CATEGORIES.values()) + "</tr>"
    body = []
    uniq = factors.drop_duplicates("factor_id")
    for lkey, lname in LEVELS.items():
        cells = []
        for ckey in CATEGORIES:
            items = uniq[(uniq["level"] == lkey) & (uniq["category"] == ckey)]
            parts = []
            for r in items.itertuples():
                cls, text = verdicts[r.factor_id]
                parts.append(f"<div class='{cls}' style='padding:2px 4px;margin:2px 0'>"
                             f"<b>{html.escape(TYPE_LABEL[r.type])}:</b> {html.escape(r.name)}<br>"
                             f"<span class='small'>{html.escape(text)}</span></div>")
            cells.append(f"<td>{''.join(parts) or '<span class=small>–</span>'}</td>")
        body.append(f"<tr><th scope='row'>{lname}</th>{''.join(cells)}</tr>")
    css = tables.CSS.replace("td.better", "div.better").replace("td.worse", "div.worse") \
        .replace("td.similar", "div.similar").replace("td.no_test, table.ind td.no_data", "div.no_test, div.no_data")
    return (f"{tables.CSS}{css}<table class='ind'><caption>Risk- och skyddsfaktorer per nivå och huvudkategori"
            f"</caption>{head}{''.join(body)}</table>")


def _detail_table(part: pd.DataFrame, verdicts: dict, comparison_label: str) -> str:
    head = ("<tr><th scope='col'>Faktor</th><th scope='col'>Nivå · kategori</th><th scope='col'>Indikator</th>"
            "<th scope='col'>Senaste värde</th><th scope='col'>Förändring sedan basår</th>"
            f"<th scope='col'>Jämfört med {html.escape(comparison_label)}</th></tr>")
    body = []
    for fid, rows in part.groupby("factor_id", sort=False):
        first = rows.iloc[0]
        cls, verdict = verdicts[fid]
        span = len(rows)
        for i, r in enumerate(rows.itertuples()):
            lead = ""
            if i == 0:
                lead = (f"<th scope='row' rowspan='{span}'>{html.escape(first['name'])}<br>"
                        f"<span class='small'>{html.escape(verdict)}</span></th>"
                        f"<td rowspan='{span}'>{LEVELS[first['level']]} · {CATEGORIES[first['category']]}</td>")
            latest = fmt.MISSING if pd.isna(r.latest) else \
                f"{fmt.with_unit(r.latest, int(r.decimals), r.unit)} <span class='small'>({int(r.latest_year)})</span>"
            if pd.isna(r.latest) and r.suppressed_latest is True:
                latest = fmt.SUPPRESSED
            body.append(f"<tr>{lead}<td>{html.escape(r.short_title)}</td><td class='num'>{latest}</td>"
                        f"{tables.change_cell(r.change_label, r.change, r.change_tested, r.baseline_year, int(r.decimals))}"
                        f"{tables.standing_cell(r.standing if isinstance(r.standing, str) else 'no_data', r.bench, int(r.decimals), r.untested_side)}</tr>")
    return f"{tables.CSS}<table class='ind'>{head}{''.join(body)}</table>"
