"""District indicators (RegSO/DeSO) from SCB's PxWeb tables.

Each indicator is one calculation over one SCB table (v2 ids, variable and content codes as SCB publishes
them; see ../shared/kolada/API-AND-KPIS.md §D and ../shared/geo/deso/README.md §4):

* ``count``: the value itself (population);
* ``share``: the value itself, already a share in SCB's table (low economic standard);
* ``ratio``: 100 × Σ numerator codes ÷ Σ denominator codes of one variable (employment, education, …).

SCB redrew DeSO/RegSO in 2025 and publishes the new division from 2024. A table's ``Region`` variable can
hold both vintages, told apart by the code suffix (``1287A0010_DeSO2025`` / ``…_DeSO2018``). Only the
vintage of the boundaries in the store is loaded; values of another vintage are not comparable area by
area, so they are left out and the break is recorded (``series_break`` in the store, shown on the
indicator and on the Data page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.writer import OBS_COLUMNS

# The first year SCB publishes for the 2025 division, and the vintage of the boundaries we load.
DIVISION_VINTAGE = "2025"
DIVISION_FIRST_YEAR = 2024
GENDER_CODES = {"1": "M", "2": "K", "1+2": "T"}  # SCB's Kon
_REGION = re.compile(r"^(?P<kommun>\d{4})(?P<kind>[A-CR])(?P<num>\d{3,4})(?:_(?:DeSO|RegSO)(?P<vintage>\d{4}))?$")


@dataclass(frozen=True)
class DistrictIndicator:
    id: str
    table: str
    calc: str  # count / share / ratio
    contents: str  # ContentsCode
    title: str
    short_title: str
    definition: str
    unit: str = "%"
    decimals: int = 1
    polarity: str = "neutral"
    risk_protective: str | None = None
    fixed: dict[str, list[str]] = field(default_factory=dict)  # other variables, one code each
    ratio_var: str | None = None  # the variable numerator and denominator are codes of
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    numerator_contents: str | None = None  # ratio of two ContentsCodes instead of one variable's codes
    gender_split: bool = False  # the table has Kon 1/2 beside 1+2

    @property
    def contents_codes(self) -> list[str]:
        return [c for c in (self.numerator_contents, self.contents) if c]


INDICATORS: tuple[DistrictIndicator, ...] = (
    DistrictIndicator(
        "SCB_FOLKMANGD", "TAB6574", "count", "000007Y7", "Folkmängd", "Folkmängd",
        "Antal folkbokförda invånare 31 december (SCB, FolkmDesoAldKon/TAB6574).", unit="antal",
        decimals=0, fixed={"Alder": ["totalt"]}, gender_split=True),
    DistrictIndicator(
        "SCB_BARN_UNGA_0_19", "TAB6574", "ratio", "000007Y7", "Barn och unga 0–19 år, andel av befolkningen (%)",
        "Andel 0–19 år", "Invånare 0–19 år som andel av alla invånare (SCB, TAB6574).",
        fixed={"Kon": ["1+2"]}, ratio_var="Alder", numerator=("0-4", "5-9", "10-14", "15-19"),
        denominator=("totalt",)),
    DistrictIndicator(
        "SCB_LAG_EK_STANDARD", "TAB6685", "share", "000008AC", "Invånare med låg ekonomisk standard, andel (%)",
        "Låg ekonomisk standard", "Andel personer i hushåll under 60 % av medianen för disponibel inkomst per "
        "konsumtionsenhet i riket (SCB, Tab4InkDesoRegso/TAB6685).", polarity="lower_better",
        risk_protective="risk", fixed={"Alder": ["tot"]}),
    DistrictIndicator(
        "SCB_ARBETSLOSHET", "TAB6680", "ratio", "0000089V", "Arbetslösa 20–64 år, andel av arbetskraften (%)",
        "Arbetslöshet 20–64 år", "Registerbaserat (BAS): arbetslösa som andel av arbetskraften 20–64 år "
        "(SCB, ArRegDesoStatusN/TAB6680).", polarity="lower_better", risk_protective="risk",
        fixed={"Alder": ["20-64"]}, numerator_contents="0000089W", gender_split=True),
    DistrictIndicator(
        "SCB_SYSSELSATTNING", "TAB6680", "ratio", "0000089Y", "Sysselsatta 20–64 år, andel av befolkningen (%)",
        "Sysselsättning 20–64 år", "Registerbaserat (BAS): sysselsatta som andel av befolkningen 20–64 år "
        "(SCB, TAB6680).", polarity="higher_better", risk_protective="protective",
        fixed={"Alder": ["20-64"]}, numerator_contents="0000089X", gender_split=True),
    DistrictIndicator(
        "SCB_EFTERGYMNASIAL", "TAB6534", "ratio", "000007Z6",
        "Invånare 25–65 år med eftergymnasial utbildning, andel (%)", "Eftergymnasial utbildning",
        "Andel 25–65 år med eftergymnasial utbildning av dem med känd utbildningsnivå (SCB, "
        "UtbSUNBefDesoRegsoN/TAB6534).", polarity="higher_better", risk_protective="protective",
        ratio_var="UtbildningsNiva", numerator=("5", "6"), denominator=("21", "3+4", "5", "6")),
    DistrictIndicator(
        "SCB_UTLANDSK_BAKGRUND", "TAB6571", "ratio", "000007Y4", "Invånare med utländsk bakgrund, andel (%)",
        "Utländsk bakgrund", "Andel av befolkningen född utomlands eller född i Sverige med två utrikes "
        "födda föräldrar (SCB, FolkmDesoBakgrKon/TAB6571).", fixed={"Kon": ["1+2"]},
        ratio_var="UtlBakgrund", numerator=("1",), denominator=("SA",)),
    DistrictIndicator(
        "SCB_ENSAMSTAENDE_MED_BARN", "TAB6568", "ratio", "000007Y1",
        "Hushåll med ensamstående med barn, andel av hushållen (%)", "Ensamstående med barn",
        "Ensamstående med barn (ESMB) som andel av alla hushåll (SCB, HushallDesoTyp/TAB6568).",
        polarity="lower_better", risk_protective="risk", ratio_var="Hushallstyp", numerator=("ESMB",),
        denominator=("TOTALT",)),
)
BY_ID = {i.id: i for i in INDICATORS}


def indicator_records(only: set[str] | None = None, gendered: set[str] | None = None,
                      source_name: str = "SCB (registerstatistik per DeSO/RegSO 2025)",
                      note: str | None = None) -> list[dict]:
    """Store rows (catalogue form) for the district indicators, or those in ``only``; an indicator is
    split by gender where its table is and, when ``gendered`` is given, its values are."""
    out = []
    for d in INDICATORS:
        if only is not None and d.id not in only:
            continue
        split = d.gender_split and (gendered is None or d.id in gendered)
        out.append({"id": d.id, "title": d.title, "short_title": d.short_title, "definition": d.definition,
                    "unit": d.unit, "decimals": d.decimals, "polarity": d.polarity,
                    "gender_split": split, "gender_labels": "kvinnor_man" if split else None,
                    "source": "scb", "source_name": source_name, "source_id": d.table, "kind": "register",
                    "age_group": None, "levels": ["district"], "risk_protective": d.risk_protective,
                    "note": note})
    return out


def division_breaks(obs: pd.DataFrame) -> list[dict]:
    """Series breaks for district values that start with the 2025 division (DeSO/RegSO files that hold
    only the new division): the earlier years exist only in the 2018 division and are not in the store."""
    out = []
    for ind_id, years in obs.groupby("indicator_id")["year"]:
        if int(years.min()) >= DIVISION_FIRST_YEAR:
            # The break is where the new division starts (2024), also for a series that begins later.
            out.append({"indicator_id": ind_id, "year": DIVISION_FIRST_YEAR,
                        "description": f"Ny områdesindelning (DeSO/RegSO {DIVISION_VINTAGE}), som SCB redovisar "
                                       f"från {DIVISION_FIRST_YEAR}. Äldre värden avser DeSO/RegSO 2018, är inte "
                                       "jämförbara område för område och finns inte i databasen."})
    return out


def table_selections(municipality_id: str) -> dict[str, dict[str, list[str]]]:
    """One PxWeb selection per table: every variable the indicators on that table need, all years."""
    out: dict[str, dict[str, set[str]]] = {}
    for d in INDICATORS:
        sel = out.setdefault(d.table, {})
        for var, codes in d.fixed.items():
            sel.setdefault(var, set()).update(codes)
        if d.ratio_var:
            sel.setdefault(d.ratio_var, set()).update(d.numerator + d.denominator)
        if d.gender_split:
            sel.setdefault("Kon", set()).update(GENDER_CODES)
        sel.setdefault("ContentsCode", set()).update(d.contents_codes)
    return {t: {"Region": [f"{municipality_id}*"], **{k: sorted(v) for k, v in sel.items()}, "Tid": ["*"]}
            for t, sel in out.items()}


def parse_region(code: str) -> tuple[str, str, str | None] | None:
    """``1287A0010_DeSO2025`` → (``1287A0010``, ``DeSO``, ``2025``); kommun and other rows → None."""
    m = _REGION.match(code)
    if not m:
        return None
    plain = f"{m['kommun']}{m['kind']}{m['num']}"
    return plain, ("RegSO" if m["kind"] == "R" else "DeSO"), m["vintage"]


@dataclass
class DistrictResult:
    observations: pd.DataFrame
    breaks: list[dict]  # series_break rows
    other_vintage: int = 0  # values of another division, left out
    unknown_areas: int = 0  # values for areas the store has no boundaries for

    @property
    def gendered(self) -> set[str]:
        obs = self.observations
        return set(obs.loc[obs["gender"].isin(["K", "M"]) & obs["status"].eq("ok"), "indicator_id"])


def district_values(tables: dict[str, pd.DataFrame], known_areas: set[str],
                    vintage: str = DIVISION_VINTAGE) -> DistrictResult:
    """Unpacked PxWeb tables (``{table id: frame}``, frames from ``etl.pxweb.unpack_jsonstat2``, one or more
    municipalities concatenated) → observations for the areas in ``known_areas``."""
    frames, breaks = [], []
    other = unknown = 0
    for d in INDICATORS:
        raw = tables.get(d.table)
        if raw is None or raw.empty:
            continue
        df = _prepare(raw)
        if df.empty:
            continue
        df = _select(df, d)
        # Unsuffixed codes: SCB publishes the 2025 division from 2024, the 2018 division before that.
        bare_new = df["vintage"].isna() & (df["year"] >= DIVISION_FIRST_YEAR)
        bare_old = df["vintage"].isna() & (df["year"] < DIVISION_FIRST_YEAR)
        same = df["vintage"].eq(vintage) | (bare_new if vintage >= DIVISION_VINTAGE else bare_old)
        old = df[~same & df["value"].notna()]
        if not old.empty:
            other += len(old)
            old_vintages = sorted(set(old["vintage"].dropna())) or ["en annan indelning"]
            kept = df.loc[same & df["value"].notna(), "year"]
            newer = kept.empty or old["year"].max() >= kept.min()  # the other division is the newer one
            breaks.append({
                "indicator_id": d.id,
                "year": int(old["year"].min()) if newer else int(kept.min()),
                "description": (f"Områdesindelningen i databasen är DeSO/RegSO {vintage}. Värden för "
                                f"{', '.join('DeSO/RegSO ' + v if v[0].isdigit() else v for v in old_vintages)} "
                                f"({_years(old['year'])}) är inte jämförbara "
                                f"område för område och är inte inlästa."),
            })
        df = df[same]
        known = df["area_id"].isin(known_areas)
        unknown += int((~known & df["value"].notna()).sum())
        df = df[known]
        if df.empty:
            continue
        frames.append(_calculate(df, d))
    if not frames:
        return DistrictResult(pd.DataFrame(columns=OBS_COLUMNS), breaks, other, unknown)
    obs = pd.concat(frames, ignore_index=True)
    return DistrictResult(obs[OBS_COLUMNS], breaks, other, unknown)


def _years(years: pd.Series) -> str:
    lo, hi = int(years.min()), int(years.max())
    return str(lo) if lo == hi else f"{lo}–{hi}"


def _prepare(raw: pd.DataFrame) -> pd.DataFrame:
    parsed = raw["Region"].map(parse_region)
    df = raw[parsed.notna()].copy()
    if df.empty:
        return df
    parts = pd.DataFrame(parsed[parsed.notna()].tolist(), index=df.index, columns=["area_id", "system", "vintage"])
    df = pd.concat([df, parts], axis=1)
    df["year"] = pd.to_numeric(df["Tid"], errors="coerce")
    df = df[df["year"].notna()]
    df["year"] = df["year"].astype(int)
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df


def _select(df: pd.DataFrame, d: DistrictIndicator) -> pd.DataFrame:
    keep = df["ContentsCode"].isin(d.contents_codes)
    for var, codes in d.fixed.items():
        if var in df:
            keep &= df[var].isin(codes)
    if "Kon" in df and not d.gender_split and "Kon" not in d.fixed:
        keep &= df["Kon"].eq("1+2")
    if d.ratio_var:
        keep &= df[d.ratio_var].isin(d.numerator + d.denominator)
    return df[keep]


def _calculate(df: pd.DataFrame, d: DistrictIndicator) -> pd.DataFrame:
    df = df.copy()
    df["gender"] = df["Kon"].map(GENDER_CODES) if (d.gender_split and "Kon" in df) else "T"
    df = df[df["gender"].notna()]
    df["suppressed_cell"] = df["status"].notna() & df["value"].isna()
    # A json-stat2 cube is dense: cells with neither a value nor a status are combinations SCB has no
    # figure for at all (an area of the new division in a year before it existed), not missing values.
    df = df[df["value"].notna() | df["suppressed_cell"]]
    keys = ["area_id", "year", "gender"]
    if d.calc in ("count", "share"):
        out = df.groupby(keys, as_index=False).agg(value=("value", "first"), supp=("suppressed_cell", "any"))
    else:
        if d.numerator_contents:
            num_mask, den_mask = df["ContentsCode"].eq(d.numerator_contents), df["ContentsCode"].eq(d.contents)
        else:
            num_mask, den_mask = df[d.ratio_var].isin(d.numerator), df[d.ratio_var].isin(d.denominator)
        parts = []
        for mask, name in ((num_mask, "num"), (den_mask, "den")):
            g = df[mask].groupby(keys).agg(**{name: ("value", lambda s: s.sum(min_count=len(s))),
                                              f"{name}_supp": ("suppressed_cell", "any")})
            parts.append(g)
        out = parts[0].join(parts[1], how="outer").reset_index()
        with np.errstate(divide="ignore", invalid="ignore"):
            out["value"] = np.where(out["den"] > 0, 100.0 * out["num"] / out["den"], np.nan)
        out["supp"] = out["num_supp"].fillna(False).astype(bool) | out["den_supp"].fillna(False).astype(bool)
    out["indicator_id"] = d.id
    ok = out["value"].notna()
    out["status"] = np.where(ok, "ok", np.where(out["supp"], "suppressed", "missing"))
    out["status_reason"] = np.where(ok, None, np.where(out["supp"], "Skyddat av SCB (..)", "Saknas hos SCB"))
    out["value"] = out["value"].where(ok).round(0 if d.calc == "count" else 2)
    out["n"] = np.nan  # the app reads n as respondents; register counts are not that
    out["ci_low"] = np.nan
    out["ci_high"] = np.nan
    return out[OBS_COLUMNS]
