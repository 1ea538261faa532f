"""Risk- och skyddsfaktorer (Katrineholm's model): factors on five levels and three categories, each
with its indicators' standing against the comparison and direction of change."""

from __future__ import annotations

import html
from dataclasses import replace

import pandas as pd
import streamlit as st

from components import fmt, tables
from components.strings import t
from services import catalogue as cat
from services import overview as svc_ov
from services.analysis import Rank
from services.context import ViewContext
from services.store import per_store

LEVELS = {"individ": "Individ", "familj": "Familj", "skola": "Skola", "narsamhalle": "Närsamhälle",
          "samhalle": "Samhällets struktur och normer"}
CATEGORIES = {"familj_natverk": "Familj/nätverk", "sysselsattning": "Sysselsättning",
              "fritid_sammanhang": "Fritid – sammanhang"}
TYPE_LABEL = {"risk": "Riskfaktor", "protective": "Skyddsfaktor"}


def factor_verdict(rows: pd.DataFrame, ftype: str) -> tuple[str, str]:
    """(css class, text) for a factor from how all its indicators fall against the comparison, e.g.
    "2 av 3 säkert bättre, 1 ej testbar". A verdict word (hög/låg risk, svagt/starkt skydd) only where
    every tested indicator points the same way; never decided by the worst indicator alone."""
    standing = rows["standing"].where(rows["standing"].apply(lambda x: isinstance(x, str)), "no_data")
    total = len(standing)
    if (standing == "no_data").all():
        return "no_data", "– Uppgift saknas"
    # A register's crude rate tested with its Poisson interval is better or worse, never "säkert".
    rate = rows.get("standing_basis", pd.Series("", index=rows.index)) == "register_rate"
    key = standing.mask(rate & standing.isin(["better", "worse"]), "rate_" + standing)
    words = [("better", "säkert bättre"), ("worse", "säkert sämre"),
             ("rate_better", "bättre än slumpen förklarar"), ("rate_worse", "sämre än slumpen förklarar"),
             ("similar", "ingen säker skillnad"),
             ("higher", "säkert högre"), ("lower", "säkert lägre"), ("above", "högre"), ("below", "lägre"),
             ("equal", "samma"), ("not_comparable", "utan jämförelse (antal)"),
             ("no_data", "utan jämförelse")]
    counts = {k: int((key == k).sum()) for k, _ in words}
    parts = [f"{counts[k]} {w}" for k, w in words if counts[k]]
    parts[0] = f"{parts[0].split(' ', 1)[0]} av {total} {parts[0].split(' ', 1)[1]}"
    ranks = [x for x in rows.get("rank_obj", pd.Series(dtype=object)) if isinstance(x, Rank) and x.polarity != "neutral"]
    best, worst = sum(x.quartile == 1 for x in ranks), sum(x.quartile == 4 for x in ranks)
    if best or worst:
        parts.append(" och ".join(p for p in (f"{best} i bästa fjärdedelen" if best else "",
                                              f"{worst} i sämsta fjärdedelen" if worst else "") if p)
                     + " bland kommunerna")
    summary = ", ".join(parts)
    counts["better"] += counts["rate_better"]  # the verdict counts a rate's side like a tested one's
    counts["worse"] += counts["rate_worse"]
    bad = "Hög risk" if ftype == "risk" else "Svagt skydd"
    good = "Låg risk" if ftype == "risk" else "Starkt skydd"
    if counts["worse"] and not counts["better"] and not counts["similar"]:
        return "worse", f"▼ {bad}: {summary}"
    if counts["better"] and not counts["worse"] and not counts["similar"]:
        return "better", f"▲ {good}: {summary}"
    if counts["better"] or counts["worse"]:
        return "no_test", f"◐ Blandat: {summary}"
    if counts["similar"]:
        return "similar", f"● {summary}"
    return "no_test", f"○ {summary}"


def render(ctx: ViewContext) -> None:
    f, comparison = ctx.filters, ctx.comparison
    where = ctx.strategy.municipality + (t("risk_district", name=ctx.district_name) if ctx.district_name else "")
    st.title(t("risk_title", where=where), anchor=False)
    st.markdown(t("risk_intro", comparison=comparison.label,
                  district=t("risk_intro_district") if f.omrade else ""))
    factors = cat.factors()
    if factors.empty:
        st.info(t("risk_no_factors"))
        return
    # Keyed on what the tables depend on: a change of only the indicator, slide or years reuses them.
    matrix, details = _tables(replace(ctx, filters=svc_ov.status_scope(f)))
    st.subheader(t("risk_matrix_heading"), anchor=False)
    st.caption(t("risk_matrix_caption"))
    st.html(matrix)

    st.subheader(t("risk_details_heading"), anchor=False)
    for ftype, table in zip(("risk", "protective"), details, strict=True):
        st.markdown(f"#### {TYPE_LABEL[ftype]}er")
        st.html(table)
    st.caption(t("risk_model_source", source=str(factors["source"].iloc[0])))


@per_store
def _tables(ctx: ViewContext) -> tuple[str, tuple[str, str]]:
    """The matrix and the two detail tables as HTML, built once per scope and store build."""
    factors, comparison_label = cat.factors(), ctx.comparison.label
    joined = svc_ov.factor_status(ctx)
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
    body, name = [], tables.comparison_name(comparison_label)
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
                f"{html.escape(fmt.with_unit(r.latest, int(r.decimals), r.unit))} <span class='small'>({int(r.latest_year)})</span>"
            if pd.isna(r.latest) and r.suppressed_latest is True:
                latest = fmt.SUPPRESSED
            latest += tables.municipality_line(r)  # a district's value: the whole municipality's beside it
            where = f"<br><span class='small'>{t('risk_district_mark')}</span>" if r.is_district is True else ""
            body.append(f"<tr>{lead}<td>{html.escape(r.short_title)}{where}</td><td class='num'>{latest}</td>"
                        f"{tables.change_cell(r.change_obj, int(r.decimals), r.unit)}"
                        f"{tables.standing_cell(tables.standing_words_of(r, name))}</tr>")
    return f"{tables.CSS}<table class='ind'>{head}{''.join(body)}</table>"
