"""Import of local survey results (trygghetsmätning, Folkhälsoenkät Barn och unga, Liv och hälsa ung, …)
from the documented CSV template (``data/templates/enkat_mall.csv``).

It accepts what Swedish Excel writes: semicolon or comma separated, decimal comma, UTF-8 (with or
without BOM) or Windows-1252. Every row is validated; on any error nothing is imported and every
problem is reported in Swedish with its line number. Small numbers are suppressed as in every build.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from etl.publish import store_lock
from etl.stats import wilson_interval
from etl.suppression import Hierarchy, suppress
from etl.writer import OBS_COLUMNS, now_iso

# Larger files are not survey tables; refuse them rather than read them into memory.
MAX_BYTES = 5 * 1024 * 1024
MAX_REPORTED_ERRORS = 50
COLUMNS = {
    "indikator": "indikatorns id i katalogen, t.ex. ENK_TRYGG_OMRADE",
    "omrade": "områdeskod (kommun 1287, RegSO 1287R001, DeSO 1287C1010) eller delområdets namn",
    "ar": "år, t.ex. 2024",
    "kon": "T/K/M eller Totalt/Kvinnor/Män/Flickor/Pojkar",
    "varde": "andel i procent eller värde, decimalkomma går bra",
    "antal_svarande": "antal svarande (krävs för enkätindikatorer)",
}
ALIASES = {"område": "omrade", "år": "ar", "kön": "kon", "värde": "varde", "andel": "varde",
           "antal svarande": "antal_svarande", "svarande": "antal_svarande", "indikator-id": "indikator"}
GENDERS = {"t": "T", "totalt": "T", "alla": "T", "k": "K", "kvinnor": "K", "flickor": "K", "m": "M",
           "män": "M", "pojkar": "M"}


class ImportError_(ValueError):
    """The file cannot be imported; ``errors`` lists every problem in Swedish, with line numbers."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    rows: int
    suppressed: int
    encoding: str
    separator: str
    indicators: list[str] = field(default_factory=list)


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (BOM or not), else Windows-1252."""
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252"), "Windows-1252"


def read_table(raw: bytes) -> tuple[pd.DataFrame, str, str]:
    if len(raw) > MAX_BYTES:
        raise ImportError_([f"Filen är för stor ({len(raw) // 1024} kB); högst {MAX_BYTES // 1024 // 1024} MB."])
    text, encoding = decode(raw)
    if not text.strip():
        raise ImportError_(["Filen är tom."])
    first = text.splitlines()[0]
    sep = ";" if first.count(";") >= first.count(",") else ","
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise ImportError_([f"Filen kan inte läsas som CSV ({exc})."]) from exc
    df.columns = [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in df.columns]
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ImportError_([f"Kolumnen ”{c}” saknas ({COLUMNS[c]}). Kolumnerna ska vara: "
                            f"{sep.join(COLUMNS)}." for c in missing])
    return df, encoding, "semikolon" if sep == ";" else "komma"


def _number(text: str) -> float | None:
    t = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if t == "":
        return None
    try:
        return float(t)
    except ValueError:
        return None


def validate(df: pd.DataFrame, con: sqlite3.Connection) -> pd.DataFrame:
    """Observation rows for a valid table; ImportError_ with every problem otherwise."""
    indicators = {r[0]: r for r in con.execute(
        "SELECT id, kind, unit, suppression_threshold, gender_split FROM indicator")}
    areas = {r[0]: r for r in con.execute("SELECT id, name, kind FROM area")}
    by_name: dict[str, list[str]] = {}
    for aid, name, kind in areas.values():
        if kind == "district":
            by_name.setdefault(name.strip().lower(), []).append(aid)
    errors, rows = [], []
    for i, r in enumerate(df.to_dict("records")):
        line = i + 2  # line 1 is the header
        problems = []
        ind = r["indikator"].strip()
        meta = indicators.get(ind)
        if meta is None:
            problems.append(f"okänd indikator ”{ind}”")
        area_text = r["omrade"].strip()
        area = area_text if area_text in areas else None
        if area is None:
            hits = by_name.get(area_text.lower(), [])
            if len(hits) == 1:
                area = hits[0]
            elif len(hits) > 1:
                problems.append(f"delområdesnamnet ”{area_text}” finns i flera kommuner; ange koden")
            else:
                problems.append(f"okänt område ”{area_text}”")
        year = r["ar"].strip()
        if not (year.isdigit() and 1990 <= int(year) <= 2100):
            problems.append(f"året ”{year}” är inte ett år mellan 1990 och 2100")
        gender = GENDERS.get(r["kon"].strip().lower())
        if gender is None:
            problems.append(f"könet ”{r['kon']}” ska vara T, K eller M")
        value = _number(r["varde"])
        if value is None:
            problems.append(f"värdet ”{r['varde']}” är inget tal")
        elif meta is not None and str(meta[2]).startswith("%") and not 0 <= value <= 100:
            problems.append(f"andelen {r['varde']} ligger utanför 0–100")
        n_text = r["antal_svarande"].strip()
        n = _number(n_text) if n_text else None
        if n_text and (n is None or n < 0 or n != int(n)):
            problems.append(f"antal svarande ”{n_text}” är inget heltal ≥ 0")
        if meta is not None and meta[1] == "survey" and not n_text:
            problems.append("antal svarande saknas (krävs för enkätindikatorer)")
        if problems:
            errors.append(f"Rad {line}: " + "; ".join(problems) + ".")
            continue
        rows.append({"line": line, "indicator_id": ind, "area_id": area, "year": int(year), "gender": gender,
                     "value": value, "n": None if n is None else int(n)})
    out = pd.DataFrame(rows)
    if not out.empty:
        dup = out[out.duplicated(["indicator_id", "area_id", "year", "gender"], keep=False)]
        for key, grp in dup.groupby(["indicator_id", "area_id", "year", "gender"]):
            errors.append(f"Raderna {', '.join(str(x) for x in grp['line'])} gäller samma cell "
                          f"({key[0]}, {key[1]}, {key[2]}, {key[3]}).")
    if errors:
        extra = len(errors) - MAX_REPORTED_ERRORS
        shown = errors[:MAX_REPORTED_ERRORS] + ([f"… och {extra} fel till."] if extra > 0 else [])
        raise ImportError_(["Inget importerades. Rätta felen och försök igen:"] + shown)
    return out


def import_survey(target: Path, path: Path) -> ImportResult:
    """Validate ``path`` and upsert its rows, with suppression and Wilson intervals, into the store. The
    store's lock is held from reading its cells to publishing, so two imports at once both land."""
    with store_lock(target):
        return _import_survey(target, path)


def _import_survey(target: Path, path: Path) -> ImportResult:
    from etl.kolada_values import load_observations

    raw = path.read_bytes()
    df, encoding, sep = read_table(raw)
    if not target.exists():
        raise ImportError_([f"Databasen {target} finns inte; bygg den först (make demo eller python -m etl build)."])
    con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        rows = validate(df, con)
        thresholds = {r[0]: int(r[1] or 10) for r in con.execute(
            "SELECT id, suppression_threshold FROM indicator WHERE kind = 'survey'")}
        hierarchy = Hierarchy.from_areas(pd.read_sql(
            "SELECT id, parent_id, kind, district_system FROM area", con))
        units = dict(con.execute("SELECT id, unit FROM indicator").fetchall())
        # Cells already in the store for the same indicators and years take part in the suppression
        # check, so that an import cannot make an earlier suppressed cell recoverable.
        keys = rows[["indicator_id", "year"]].drop_duplicates()
        existing = pd.concat([pd.read_sql(
            "SELECT indicator_id, area_id, year, gender, value, n, ci_low, ci_high, status, status_reason "
            "FROM observation WHERE indicator_id = ? AND year = ?", con, params=(k.indicator_id, int(k.year)))
            for k in keys.itertuples()], ignore_index=True)
    finally:
        con.close()
    new = rows.assign(status="ok", status_reason=None, ci_low=np.nan, ci_high=np.nan)[OBS_COLUMNS]
    is_share = new["indicator_id"].map(lambda i: str(units.get(i, "")).startswith("%")) & new["n"].notna()
    low, high = wilson_interval(new.loc[is_share, "value"], new.loc[is_share, "n"].astype(float))
    new.loc[is_share, "ci_low"], new.loc[is_share, "ci_high"] = np.round(low, 2), np.round(high, 2)
    key = ["indicator_id", "area_id", "year", "gender"]
    kept = existing.set_index(key).drop(new.set_index(key).index, errors="ignore").reset_index()
    combined = pd.concat([kept, new], ignore_index=True) if not kept.empty else new.copy()
    combined = suppress(combined, thresholds, hierarchy)
    # Write the imported cells, and any earlier cell whose status the suppression changed.
    imported = combined.set_index(key).index.isin(new.set_index(key).index)
    before = existing.set_index(key)["status"]
    old_status = combined.set_index(key).index.map(lambda k: before.get(k))
    write = combined[imported | (combined["status"].to_numpy() != np.asarray(old_status, dtype=object))][OBS_COLUMNS]
    load_observations(target, write, {}, source="Lokal enkät (CSV-import)", what=f"fil {path.name}",
                      fetched_at=now_iso(), command=f"python -m etl import-survey {path.name}")
    return ImportResult(rows=len(new), suppressed=int((write["status"] == "suppressed").sum()),
                        encoding=encoding, separator=sep, indicators=sorted(new["indicator_id"].unique()))
