"""A plain answer in front of the nämnd (#30): register figures compared as what they are, the place among
all municipalities, one phrasing for "no answer", and the methods behind "Hur vet vi det?"."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from components import tables, verdicts
from services import analysis, scope
from services import overview as svc_ov

# What must not appear on a page outside "Hur vet vi det?" and the Data page.
METHOD_WORDS = ("Mann–Kendall", "Mann-Kendall", "chi2", "chi²", "z-test", "phe_sii", "dragningar",
                "Benjamini", "Newcombe", "Wilson", "Altman", "p = ", "WLS", "Kish", "Santer")


# --- words -------------------------------------------------------------------------------------------------

def test_a_register_figure_is_higher_or_lower_with_its_size_never_sure():
    w = verdicts.standing_words("below", 18.5, 34.8, 1, "%", "Riket", "register")
    assert w.head == "Lägre än Riket: \u221216,3\u00a0procentenheter"
    assert "registeruppgift, hela befolkningen" in w.lines and "Riket 34,8\u00a0%" in w.lines
    assert not any(x in (w.head + " ".join(w.lines)).lower() for x in ("säker", "bättre", "sämre"))
    assert "ingen urvalsosäkerhet" in w.how
    up = verdicts.standing_words("above", 40.0, 34.8, 1, "%", "länet", "register")
    assert up.head.startswith("Högre än länet: +5,2")
    same = verdicts.standing_words("equal", 34.81, 34.79, 1, "%", "Riket", "register")
    assert same.head == "Samma som Riket"


def test_a_sample_with_an_interval_gets_the_tested_words_and_one_without_says_untested():
    w = verdicts.standing_words("better", 80.0, 70.0, 0, "%", "Riket", "tested", p_value=0.0123)
    assert w.head == "Säkert bättre än Riket (+10\u00a0procentenheter)" and w.css == "better"
    assert "p = 0,012" in w.how and "p = " not in w.head
    no_ci = verdicts.standing_words("above", 80.0, 70.0, 0, "%", "Riket", "untested")
    assert no_ci.head.startswith("Högre än Riket") and "ej testad: osäkerhetsmått saknas" in no_ci.lines
    # A descriptive standing never carries the tested basis's words, whatever the caller says.
    assert "ej testad" in " ".join(verdicts.standing_words("above", 80.0, 70.0, 0, "%", "Riket", "tested").lines)


@pytest.mark.parametrize("standing,value,bench", [("not_comparable", 130.0, None), ("no_data", 40.0, None),
                                                  ("no_data", None, 30.0)])
def test_no_answer_has_one_phrasing_and_its_reason_one_click_away(standing, value, bench):
    w = verdicts.standing_words(standing, value, bench, 0, "antal" if standing == "not_comparable" else "%",
                                "Riket", "register", year=2024)
    assert w.head == verdicts.NO_COMPARISON and w.how
    cell = tables.standing_cell(w)
    assert f"<summary>{verdicts.NO_COMPARISON}</summary>" in cell and w.how in cell


# --- the place among the municipalities -------------------------------------------------------------------

def test_place_and_quartile_follow_the_polarity():
    high = analysis.municipality_rank(above=10, below=279, of=290, polarity="higher_better", year=2024,
                                      all_municipalities=290)
    low = analysis.municipality_rank(above=10, below=279, of=290, polarity="lower_better", year=2024,
                                     all_municipalities=290)
    assert (high.position, high.quartile) == (11, 1)  # ten are higher: 11th, best quarter
    assert (low.position, low.quartile) == (280, 4)  # lower is better: 279 are better
    assert analysis.municipality_rank(0, 0, 290, "neutral", 2024, 290).position == 1  # ties share the place
    assert verdicts.rank_text(high) == "Plats 11 av 290 kommuner (bästa fjärdedelen)"
    assert verdicts.rank_css(high) == "better" and verdicts.rank_css(low) == "worse"
    # A handful of municipalities (the store holds only peers) gives no place.
    assert analysis.municipality_rank(3, 4, 33, "higher_better", 2024, 290) is None


def test_the_rank_query_agrees_with_an_independent_ranking(app_store):
    """queries/municipality_rank counts above and below in SQL; pandas ranks the same values read with
    compare_year (every municipality's value in one year) and must find the same place."""
    from services import catalogue as cat
    from services import indicators as svc
    from services.store import q

    checked = 0
    ids = cat.indicators()
    kolada = ids[(ids["source"] == "kolada") & ids["levels"].str.contains("municipality")].index
    for ind in list(kolada)[:4]:
        polarity = cat.indicators().loc[ind, "polarity"]
        counts = svc.municipality_ranks("1287", (ind,), ("T",), 2100)
        for (_, year, _), (above, below, of) in counts.items():
            vals = q("compare_year", indicator_id=ind, year=year, gender="T", kind="municipality")
            vals = vals[vals["status"] == "ok"]
            own = float(vals.loc[vals["area_id"] == "1287", "value"].iloc[0])
            assert of == len(vals)
            assert above == int((vals["value"] > own).sum()) and below == int((vals["value"] < own).sum())
            rank = analysis.municipality_rank(above, below, of, polarity, year, svc.municipality_count())
            if rank is not None:
                better = vals["value"] < own if polarity == "lower_better" else vals["value"] > own
                assert rank.position == int(better.sum()) + 1
                checked += 1
    assert checked, "no ranked year found"


# --- the overview ---------------------------------------------------------------------------------------------

def _comparison_cells(html: str) -> list[tuple[str, str]]:
    """(summary, cell text) of each overview row's comparison cell (the last before an optional target)."""
    out = []
    for row in re.findall(r"<tr><th scope='row'[^>]*>.*?</tr>", html, flags=re.S):
        out += re.findall(r"<td class='[a-z_]+' data-col='standing'><details><summary>([^<]*)</summary>(.*?)</td>",
                          row, flags=re.S)
    return out


@pytest.mark.parametrize("kommun", ["1287", "0483", "0181"])
def test_every_overview_row_with_a_comparison_value_has_a_standing(app_store, kommun):
    """Done when: every indicator with a comparison value gets a standing (tested or descriptive); the rest
    say "Ingen jämförelse" – one phrasing – with the reason one click away."""
    from services.filters import Filters

    df = svc_ov.overview_frame(scope.resolve(Filters(kommun=kommun, jmf="0000")))
    with_bench = df["bench"].notna()
    assert with_bench.sum() > len(df) / 2
    assert set(df.loc[with_bench, "standing"]) <= set(verdicts.STANDING_HEAD)
    assert set(df.loc[~with_bench, "standing"]) <= {"no_data", "not_comparable"}
    html = tables.overview_table(df, "t", "Riket")
    cells = _comparison_cells(html)
    assert len(cells) == len(df)
    answered = [c for c in cells if c[0] != verdicts.NO_COMPARISON]
    assert len(answered) == int(with_bench.sum())
    for summary, rest in answered:
        assert re.search(r"Riket \d", rest), summary  # the comparison's own value under the answer
    # Register figures: never the tested word; a place among the municipalities where Kolada has them all.
    reg = df[with_bench & (df["standing_basis"] == "register")]
    assert len(reg) and set(reg["standing"]) <= set(analysis.DESCRIPTIVE_STANDINGS)
    assert any(isinstance(r, analysis.Rank) for r in df["rank_obj"])
    for old in ("Ej testbar", "Ingen jämförelsesiffra", "Ej jämförbart", "mot jämförelsen (ej testad)"):
        assert old not in "".join(s for s, _ in cells), old


def _visible_text(node) -> list[str]:
    """Every text an AppTest tree shows outside a popover ("Hur vet vi det?"), <details> bodies left out."""
    out = []
    if _is_popover(node):
        return out
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            out += _visible_text(child)
        return out
    if getattr(node, "type", "") == "html":
        body = re.sub(r"<details><summary>(.*?)</summary>.*?</details>", r"\1", node.proto.body, flags=re.S)
        out.append(re.sub(r"<style>.*?</style>", "", body, flags=re.S))
    elif hasattr(node, "value") and isinstance(getattr(node, "value", None), str):
        out.append(node.value)
    return out


PAGES = [("oversikt", "1287"), ("oversikt", "0483"), ("oversikt", "0181"),
         ("1-stod-och-relationer-genom-livet", "1287"), ("trygghet", "1287"), ("riskfaktorer", "0483"),
         ("jamfor", "1287")]


@pytest.mark.slow
@pytest.mark.parametrize("path,kommun", PAGES)
def test_no_method_name_outside_its_popover(app_store, path, kommun):
    from tests.test_pages import assert_ok, open_page

    at = open_page(path, kommun=kommun)
    assert_ok(at)
    text = " ".join(_visible_text(at._tree))
    found = [w for w in METHOD_WORDS if w in text]
    assert not found, [text[max(0, text.index(w) - 80):text.index(w) + 80] for w in found]
    hows = " ".join(m.value for m in at.markdown)  # the popovers' texts are in the tree too
    if path in ("oversikt", "1-stod-och-relationer-genom-livet"):
        assert "Hur vet vi det?" in " ".join(str(b.proto) for b in _popovers(at._tree))
    if path == "oversikt":
        assert "Benjamini–Hochberg" in hows


def _is_popover(node) -> bool:
    proto = getattr(node, "proto", None)
    try:
        return proto is not None and hasattr(proto, "WhichOneof") and proto.WhichOneof("type") == "popover"
    except ValueError:  # an element's proto has no "type" oneof
        return False


def _popovers(node) -> list:
    out = [node] if _is_popover(node) else []
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            out += _popovers(child)
    return out


def test_the_data_page_names_the_methods():
    """The Data page's Metoder tab (components/data_page.py draws t("methods")) names every method the
    popovers point to, the place among the municipalities included."""
    from components.strings import t

    text = t("methods")
    for w in ("Mann–Kendall", "Newcombe", "Benjamini", "Kolada", "kvartil", "registeruppgift, hela befolkningen",
              "Ingen jämförelse"):
        assert w.lower() in text.lower(), w


def test_risk_grid_counts_register_figures_as_higher_or_lower():
    from components import risk

    rows = pd.DataFrame({"standing": ["above", "below", "below", "better"],
                         "rank_obj": [analysis.Rank(5, 290, 1, "higher_better", 2024), None,
                                      analysis.Rank(280, 290, 4, "higher_better", 2024), None]})
    css, text = risk.factor_verdict(rows, "protective")
    assert "ej testbar" not in text and "1 högre" in text and "2 lägre" in text
    assert "1 i bästa fjärdedelen och 1 i sämsta fjärdedelen bland kommunerna" in text
