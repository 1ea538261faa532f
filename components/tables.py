"""Accessible HTML tables (real <table>, <th scope>, caption) for overviews, and data tables."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

import pandas as pd

from components import changes, fmt, verdicts
from components.strings import gender_label, t
from services import changes as since
from services import indicators as svc
from services import overview as svc_ov
from services.analysis import Change, Gap, Rank
from services.stats import TrendTest
from services.store import per_store

CSS = """
<style>
table.ind {border-collapse: collapse; width: 100%; font-size: 0.95rem; margin-bottom: 0.8rem;}
div.ind-wrap {overflow-x: auto; max-width: 100%;}
table.ind.fit {table-layout: fixed; min-width: 760px; font-size: 0.9rem;}
table.ind.fit th.ind-name {background: #FFFFFF; font-weight: 400;}
table.ind .goal {font-weight: 700;}
table.ind div.target {margin-top: 0.4rem; padding: 0.2rem 0.3rem; border-radius: 3px; color: #1B1B1B;}
table.ind div.target.better {background: #C9DFF0;} table.ind div.target.worse {background: #F6CFB5;}
table.ind div.target.similar {background: #DDDDDD;} table.ind div.target.no_test {background: #F4F4F4;}
table.ind caption {text-align: left; font-weight: 600; padding: 0.3rem 0; color: #1B1B1B;}
table.ind th, table.ind td {border: 1px solid #C9CED6; padding: 0.35rem 0.5rem; vertical-align: top;}
table.ind th {background: #F2F4F7; text-align: left; color: #1B1B1B;}
table.ind td.num {text-align: right; font-variant-numeric: tabular-nums;}
table.ind td.gap {font-variant-numeric: tabular-nums;}
table.ind td.better {background: #DCEBF7; color: #00406B;}
table.ind td.worse {background: #FBE3D3; color: #7A2E00;}
table.ind td.similar {background: #EDEDED; color: #333333;}
table.ind td.higher, table.ind td.lower {background: #E8E8F3; color: #2E2E66;}
table.ind td.no_test, table.ind td.no_data, table.ind td.plain {background: #FFFFFF; color: #1B1B1B;}
table.ind details > summary {cursor: pointer; list-style: none; text-decoration: underline dotted #6B6B6B;
  text-underline-offset: 3px;}
table.ind details > summary::-webkit-details-marker {display: none;}
table.ind details[open] > summary {text-decoration-style: solid;}
table.ind td.no_data details > summary {color: #444444;}
table.ind .small {color: #4A4A4A; font-size: 0.85rem;}
table.ind .gapmark {display: inline-block; margin-top: 0.2rem; padding: 0 0.3rem; border-radius: 3px;
  font-size: 0.85rem;}
table.ind .gapmark.better {background: #DCEBF7; color: #00406B; font-weight: 600;}
table.ind .gapmark.worse {background: #FBE3D3; color: #7A2E00; font-weight: 600;}
table.ind .gapmark.higher {background: #E8E8F3; color: #2E2E66; font-weight: 600;}
table.ind .gapmark.similar {color: #4A4A4A;}
table.ind .since {display: inline-block; margin-top: 0.2rem; padding: 0 0.3rem; border: 1.5px solid #1B1B1B;
  border-radius: 3px; background: #FFF1A8; color: #1B1B1B; font-size: 0.85rem; font-weight: 600;}
</style>
"""


def _e(x) -> str:
    return html.escape(str(x))


def _na(x) -> bool:
    return x is None or (isinstance(x, float) and pd.isna(x))


def comparison_name(label: str) -> str:
    """The comparison as a cell names it: 'Riket', 'länet', 'gruppen', 'listan' (the column head has the
    full label)."""
    if label.startswith("Länet"):
        return "länet"
    if label.startswith("Jämförelsegrupp"):
        return "gruppen"
    if label.startswith("Egen lista"):
        return "listan"
    return label


def standing_words_of(r, name: str) -> verdicts.StandingWords:
    """An overview or factor row's standing (``svc_ov.status_frame``) in words."""
    standing = r.standing if isinstance(r.standing, str) else "no_data"
    rank = getattr(r, "rank_obj", None)
    rank = rank if isinstance(rank, Rank) else None
    basis = getattr(r, "standing_basis", "tested")
    return verdicts.standing_words(standing, None if _na(r.latest) else r.latest, None if _na(r.bench) else r.bench,
                                   int(r.decimals), r.unit, name, basis if isinstance(basis, str) else "tested",
                                   rank, getattr(r, "latest_year", None), getattr(r, "standing_p", None),
                                   _rate_of(r))


def _rate_of(r):
    rate = getattr(r, "rate_obj", None)
    return None if rate is None or _na(rate) else rate


def standing_cell(w: verdicts.StandingWords, mixed: str | None = None) -> str:
    """The standing against the comparison: the plain answer, and how we know it one click away (a
    <details> element: keyboard and screen readers reach it like a button); the comparison's value, what the
    figure is and the place among all municipalities under it."""
    lines = "<br>".join(f"<span class='small'>{_e(x)}</span>" for x in w.lines)
    rank = f"{'<br>' if lines else ''}<span class='gapmark {w.rank_css}'>{_e(w.rank)}</span>" if w.rank else ""
    mixed_text = f"<br><span class='small' title='{_e(mixed)}'>blandar metoder</span>" if isinstance(mixed, str) else ""
    return (f"<td class='{w.css}' data-col='standing'><details><summary>{_e(w.head)}</summary><span class='small'>{_e(w.how)}</span>"
            f"</details>{lines}{rank}{mixed_text}</td>")


def change_cell(change, decimals: int, unit: str) -> str:
    """Change since the baseline, in the words of ``components.verdicts`` (coloured only when tested)."""
    if not isinstance(change, Change) or change.label == "no_data":
        return f"<td>{fmt.MISSING}</td>"
    return (f"<td class='{verdicts.change_css(change)}'>"
            f"{_how(verdicts.change_text(change, decimals, unit, True, reason=False), verdicts.change_how(change))}</td>")


def _how(text: str, how: str) -> str:
    """A cell's plain answer, with how we know it one click away where there is something to tell."""
    if not how:
        return _e(text)
    return f"<details><summary>{_e(text)}</summary><span class='small'>{_e(how)}</span></details>"


def target_block(r) -> str:
    """The strategy's target under the trend it is judged by (in the trend's column, so the overview fits the
    screen): its status in words, coloured only where the trend's interval decides it; the reason one click
    away (a <details> element: keyboard and screen readers reach it like a button)."""
    check = getattr(r, "target_obj", None)
    if check is None or (isinstance(check, float) and pd.isna(check)):
        return ""
    goal = verdicts.target_goal(r.target_value, r.target_year, r.target_direction, r.decimals, r.unit)
    reason = verdicts.target_reason(check, r.target_value, r.target_year, r.target_direction, r.decimals, r.unit)
    if isinstance(r.target_source, str) and r.target_source:
        reason += f" Målet: {r.target_source}."
    set_by = getattr(r, "target_set_by", None)
    if isinstance(set_by, str) and set_by:
        reason += f" Satt i appen av {set_by}, {str(r.target_set_at)[:10]}."
    return (f"<div class='target {verdicts.TARGET_CSS[check.status]}'><span class='small'>Strategins mål:</span> "
            f"<details><summary>{_e(verdicts.target_word(check))}</summary><span class='small'>{_e(reason)}</span>"
            f"</details><span class='small'>{_e(goal)}</span></div>")


def trend_cell(trend, polarity: str, decimals: int | None = None, unit: str = "", below: str = "") -> str:
    """The trend in words, how we know it one click away; ``below``: HTML under it (the strategy's target)."""
    if not isinstance(trend, TrendTest):
        return f"<td>{fmt.MISSING}{below}</td>"
    text = verdicts.trend_text(trend, polarity, decimals, unit)
    return (f"<td class='{verdicts.trend_css(trend, polarity)}'>{_how(text, verdicts.trend_how(trend))}"
            f"{below}</td>")


def gap_cell(gap, decimals: int, unit: str, shown: tuple | None = None, values: str = "") -> str:
    """Girls' and boys' values (``values``, already HTML) and K − M with its verdict. ``shown``: the (K, M)
    values the row shows, of the gap's year, so that the difference read equals the difference of the two
    shown values (fmt.shown_diff)."""
    head = f"{values}<br>" if values else ""
    if not isinstance(gap, Gap) or gap.diff is None:
        return f"<td class='gap'>{head}{fmt.MISSING}</td>"
    if shown is not None:
        gap = replace(gap, diff=fmt.shown_diff(shown[1], shown[0], decimals))
    note = f"<br><span class='small'>år {gap.year}</span>" if gap.other_year_than_total else ""
    text = f"Skillnad {verdicts.gap_text(gap, decimals, unit)}"
    return (f"<td class='gap'>{head}<span class='small'>{_how(text, verdicts.gap_how(gap))}</span>"
            f"{note}</td>")


def district_gap_mark(r) -> str:
    """A marker under the indicator's name where the difference between the municipality's districts was
    tested (SII, first against latest comparable year; services.inequality.gap_change): coloured when it has
    narrowed or widened, grey when no change is shown; nothing where no test was possible."""
    change = getattr(r, "district_gap_obj", None)
    if change is None or (isinstance(change, float) and pd.isna(change)) or change.label == "untested":
        return ""
    css = verdicts.gap_change_css(change)
    # The SII has one decimal more than the values (as on the district page).
    dec = getattr(r, "decimals", 0)
    cell = verdicts.gap_change_cell(change, (0 if _na(dec) else int(dec)) + 1, getattr(r, "unit", ""))
    return f"<br><span class='gapmark {css}'>{_e(t('ov_district_gap'))}: {_e(cell)}</span>"


# The no-break space between a number and a unit word of six letters or more ('procentenheter').
LONG_UNIT_SPACE = re.compile(f"{fmt.NBSP}(?=[^\\W\\d_]{{6,}})")


def _breakable_unit(text: str, unit) -> str:
    """'5,9 antal/barn 0–17 år' may break between the number and a long unit (never inside the number)."""
    if not isinstance(unit, str) or len(unit) <= 3 or not unit or unit not in text:
        return text
    i = text.rindex(unit)
    return text[:i].rstrip(fmt.NBSP) + " " + unit if i > 0 else text


def _gender_value(value, year, latest_year, decimals: int) -> str:
    text = fmt.number(value, decimals)
    if not _na(year) and not _na(latest_year) and int(year) != int(latest_year):
        text += f" <span class='small'>({int(year)})</span>"  # K/M from another year than T
    return text


def municipality_line(r) -> str:
    """Under a district's value: the whole municipality's, with its year and (as a tooltip) its source."""
    value = getattr(r, "muni_latest", None)
    if getattr(r, "is_district", False) is not True or _na(value):
        return ""
    text = t("ov_municipality_value", value=fmt.with_unit(value, r.decimals, r.unit), year=int(r.muni_latest_year))
    return f"<br><span class='small' title='{_e(getattr(r, 'muni_source', None) or '')}'>{_e(text)}</span>"


def overview_table(df: pd.DataFrame, caption: str, comparison_label: str,
                   marks: dict[tuple[bool, str], str] | None = None) -> str:
    """The overview ('tartan rug') for one focus area: one row per goal indicator. ``marks``: what is new
    since the "Nytt sedan …" day, keyed (row shows a district, indicator id)."""
    targets = "target_obj" in df and df["target_obj"].notna().any()
    head = ("<tr><th scope='col'>Mål · indikator</th><th scope='col'>Senaste värde</th>"
            "<th scope='col'>Förändring sedan basår</th><th scope='col'>Trend (senaste fem mätningarna)"
            + ("<br><span class='small'>och strategins mål</span>" if targets else "") + "</th>"
            "<th scope='col'>Flickor och pojkar<br><span class='small'>(kvinnor och män)</span></th>"
            f"<th scope='col'>Jämfört med {_e(comparison_label)}</th></tr>")
    name = comparison_name(comparison_label)
    body = []
    for r in df.itertuples():
        first = getattr(r, "also_under", None)
        if isinstance(first, str):  # an indicator under two goals: its figures once, at the first
            body.append(f"<tr><th scope='row' class='ind-name'><span class='goal'>{_e(r.goal_code)}</span> "
                        f"{_e(r.label)}</th><td colspan='{len(WIDTHS) - 1}' class='small'>"
                        f"{_e(t('ov_also_under', code=first))}</td></tr>")
            continue
        if _na(r.latest):
            latest = fmt.SUPPRESSED if r.suppressed_latest is True else fmt.MISSING
        else:
            # A long unit ('antal/barn 0–17 år') may wrap after the number in this narrow column.
            latest = (f"<span title='{_e(getattr(r, 'latest_source', None) or '')}'>"
                      f"{_e(_breakable_unit(fmt.with_unit(r.latest, r.decimals, r.unit), r.unit))}</span> "
                      f"<span class='small'>({int(r.latest_year)})</span>")
        latest += municipality_line(r)
        if r.gender_split:
            labels = getattr(r, "gender_labels", None)
            labels = labels if isinstance(labels, str) else None
            k = _gender_value(r.k, r.k_year, r.latest_year, r.decimals)
            m = _gender_value(r.m, r.m_year, r.latest_year, r.decimals)
            same_year = (isinstance(r.gap_obj, Gap) and not _na(r.k_year) and not _na(r.m_year)
                         and int(r.k_year) == int(r.m_year) == r.gap_obj.year)
            gap = gap_cell(r.gap_obj, r.decimals, r.unit, (r.k, r.m) if same_year else None,
                           f"{_e(gender_label('K', labels))} {k} · {_e(gender_label('M', labels))} {m}")
        else:
            gap = "<td><span class='small'>ej uppdelat på kön</span></td>"
        is_district = getattr(r, "is_district", False) is True
        where = "<br><span class='small'>delområdet – jämförs med hela kommunen</span>" if is_district else ""
        where += district_gap_mark(r)
        mark = (marks or {}).get((is_district, r.indicator_id))
        if mark:
            where += f"<br><span class='since'>{_e(mark)}</span>"
        trend = trend_cell(r.trend_obj, r.polarity, r.decimals, r.unit, target_block(r) if targets else "")
        body.append(
            f"<tr><th scope='row' class='ind-name'><span class='goal'>{_e(r.goal_code)}</span> {_e(r.label).replace('/', '/<wbr>')}{where}"
            f"</th><td class='num'>{latest}</td>"
            f"{change_cell(r.change_obj, r.decimals, r.unit)}{trend}{gap}"
            f"{standing_cell(standing_words_of(r, 'kommunen' if is_district else name), r.mixed_methods)}</tr>")
    # A narrow window scrolls the table sideways instead of cutting its last columns off. In the fixed columns a
    # long unit may go to the next line ('−0,1' / 'procentenheter'): kept to its number it ran across the border.
    rows = LONG_UNIT_SPACE.sub(" ", "".join(body))
    return (f"{CSS}<div class='ind-wrap' role='region' aria-label='{_e(caption)}' tabindex='0'>"
            f"<table class='ind fit'><caption>{_e(caption)}</caption>{COLUMNS}{head}{rows}"
            "</table></div>")


# The overview's column widths (per cent): fixed, so that every column fits the page at 1280 px with the
# sidebar open and the text wraps inside its column instead of pushing the comparison off screen.
WIDTHS = (19, 9, 16, 18, 17, 21)
COLUMNS = "<colgroup>" + "".join(f"<col style='width:{w}%'>" for w in WIDTHS) + "</colgroup>"


@per_store
def overview_html(ctx, focus_area_id: str, goal_id: str | None, caption: str) -> str:
    """The overview table of one focus area (or one of its goals), built once per scope and store."""
    f, strategy_id, comparison_label = ctx.filters, ctx.strategy.id, ctx.comparison.label
    df = svc_ov.overview_frame(ctx)
    if goal_id is None:  # the whole strategy on one page: an indicator under two goals is shown once
        df = df.assign(also_under=svc_ov.also_under(df))
    part = df[df["focus_area_id"] == focus_area_id]
    if goal_id is not None:
        part = part[part["goal_id"] == goal_id]
    marks = None
    if f.sedan:
        frame = since.changes(f.kommun, strategy_id, f.sedan)
        marks = {(district, ind): t("since_mark", date=f.sedan, what=text)
                 for district, area in ((False, f.kommun), (True, f.omrade)) if area
                 for ind, text in changes.marks(frame, area).items()}
    return overview_table(part, caption, comparison_label, marks)


def data_table(df: pd.DataFrame, decimals: int, labels: str | None) -> pd.DataFrame:
    """A readable data table: one row per area and year, genders as columns, '..' for suppressed."""
    d = df.copy()
    d["cell"] = [fmt.cell(v, s, decimals) for v, s in zip(d["value"], d["status"], strict=True)]
    d["gender_name"] = d["gender"].map(lambda g: gender_label(g, labels))
    wide = d.pivot_table(index=["series", "year"], columns="gender_name", values="cell", aggfunc="first")
    wide = wide.reset_index().rename(columns={"series": "Område", "year": "År"})
    first = d["series"].iloc[0] if len(d) else None  # the subject area comes first in the input
    wide = wide.sort_values(["Område", "År"], key=lambda c: c.ne(first) if c.name == "Område" else c,
                            kind="stable")
    order = ["Område", "År"] + [c for c in (gender_label("T"), gender_label("K", labels),
                                            gender_label("M", labels)) if c in wide.columns]
    if "source" in d:
        # Each row says where it comes from (a copied or exported table keeps it; demo rows say DEMODATA).
        d["Källa"] = [svc.source_label(s, f, i) for s, f, i in zip(d["source"], d["fetched_at"], d["is_demo"],
                                                                    strict=True)]
        src = d.groupby(["series", "year"])["Källa"].agg(lambda x: " / ".join(sorted(set(x))))
        wide["Källa"] = [src.get((a, y), "") for a, y in zip(wide["Område"], wide["År"], strict=True)]
        order.append("Källa")
    return wide[order]


@dataclass
class SummaryRow:
    goal: str
    indicator: str
    latest: str
    change: str
    change_css: str  # better / worse / similar / no_test: colour only where a test supports the word
    trend: str
    standing: str
    standing_css: str
    target: str = ""  # the strategy's target and its status, where the strategy sets one
    target_css: str = "no_test"


def summary_row(r, comparison: str = "Riket") -> SummaryRow:
    """One indicator of an overview row (``svc_ov.overview_frame``) in the meeting pack's and the presentation's
    six columns, in the words of ``components.verdicts``."""
    dec, unit = int(r.decimals), r.unit
    if pd.isna(r.latest):
        latest = fmt.SUPPRESSED if r.suppressed_latest is True else fmt.MISSING
    else:
        latest = f"{fmt.with_unit(r.latest, dec, unit)} ({int(r.latest_year)})"
    change = r.change_obj
    if not isinstance(change, Change) or change.label == "no_data":
        change_text, change_css = fmt.MISSING, "no_test"
    else:
        change_text = verdicts.change_text(change, dec, unit, True, reason=False)
        change_css = verdicts.change_css(change)
    trend = verdicts.trend_text(r.trend_obj, r.polarity, dec, unit) if isinstance(r.trend_obj, TrendTest) else fmt.MISSING
    w = standing_words_of(r, "kommunen" if getattr(r, "is_district", False) is True else comparison_name(comparison))
    text = "; ".join((w.head, *w.lines, *((w.rank,) if w.rank else ())))
    target, target_css = "", "no_test"
    check = getattr(r, "target_obj", None)
    if check is not None and not (isinstance(check, float) and pd.isna(check)):
        goal = verdicts.target_goal(r.target_value, r.target_year, r.target_direction, dec, unit)
        target, target_css = f"{verdicts.target_word(check)} (mål: {goal})", verdicts.TARGET_CSS[check.status]
    return SummaryRow(str(r.goal_code), str(r.label), latest, change_text, change_css, trend, text, w.css,
                      target, target_css)


def summary_html(rows: list[SummaryRow], caption: str, comparison_label: str) -> str:
    """The six-column summary (the meeting pack's table) as an accessible HTML table."""
    targets = any(r.target for r in rows)
    head = ("<tr>" + "".join(f"<th scope='col'>{_e(h)}</th>" for h in (
        t("pack_col_goal"), t("label_indicator"), t("pack_col_latest"), t("pack_col_change"), t("pack_col_trend"),
        t("pack_col_standing", comparison=comparison_label)) + ((t("pack_col_target"),) if targets else ()))
        + "</tr>")
    body = "".join(
        f"<tr><th scope='row'>{_e(r.goal)}</th><td>{_e(r.indicator)}</td><td class='num'>{_e(r.latest)}</td>"
        f"<td class='{r.change_css}'>{_e(r.change)}</td><td>{_e(r.trend)}</td>"
        f"<td class='{r.standing_css}'>{_e(r.standing)}</td>"
        + (f"<td class='{r.target_css}'>{_e(r.target)}</td>" if targets else "") + "</tr>" for r in rows)
    return f"{CSS}<table class='ind'><caption>{_e(caption)}</caption>{head}{body}</table>"
