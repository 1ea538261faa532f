"""Import of local survey results (trygghetsmätning, Folkhälsoenkät Barn och unga, Liv och hälsa ung, …)
from the documented CSV template (``data/templates/enkat_mall.csv``).

It accepts what Swedish Excel writes: semicolon or comma separated, decimal comma, UTF-8 (with or
without BOM) or Windows-1252. Every row is validated; on any error nothing is imported and every
problem is reported in Swedish with its line number. Small numbers are suppressed as in every build,
shares at 0 %/100 % over hidden parts too, and a cell hidden in the store stays hidden when a corrected
delivery of the same year is imported (``etl.suppression``, rules 3 and 4; ``must_stay_hidden``).

The 95 % interval of a share: Wilson's from the respondents by default. A weighted survey (Skolenkäten,
Liv & hälsa) is less precise than its raw n says, so a row may carry either the survey's own 95 % interval
(``ki_lag``, ``ki_hog``: stored as given, after checking low ≤ value ≤ high within the unit's range) or its
design effect (``designeffekt`` ≥ 1: Wilson's interval with the effective sample size n/deff, statsmodels
``proportion_confint(method="wilson")``; Kish 1965). The raw n is stored as n either way: disclosure control
counts respondents, not effective ones.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from etl.catalogue import min_answer_counts
from etl.publish import store_lock
from etl.stats import wilson_interval
from etl.suppression import Hierarchy, suppress
from etl.writer import OBS_COLUMNS, now_iso
from store import files

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
# Optional: a row's own 95 % interval, or the design effect of a weighted survey (see the module's docstring).
OPTIONAL_COLUMNS = {
    "ki_lag": "nedre gräns i enkätens eget 95 %-konfidensintervall (valfri, tillsammans med ki_hog)",
    "ki_hog": "övre gräns i enkätens eget 95 %-konfidensintervall (valfri, tillsammans med ki_lag)",
    "designeffekt": "designeffekt ≥ 1 för en viktad enkät (valfri; intervallet räknas med antal svarande / "
                    "designeffekt)",
}
ALIASES = {"ki_låg": "ki_lag", "ki_hög": "ki_hog", "ki låg": "ki_lag", "ki hög": "ki_hog", "deff": "designeffekt",
           "område": "omrade", "år": "ar", "kön": "kon", "värde": "varde", "andel": "varde",
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


@dataclass(frozen=True)
class Scope:
    """The municipality an upload in the app may write: its id, name and the ids of it and its districts."""

    municipality_id: str
    name: str
    areas: frozenset[str]


def municipality_scope(con: files.Connection, municipality_id: str) -> Scope:
    """The municipality and every area under it (RegSO, DeSO, …) in the store."""
    parents = dict(con.execute("SELECT id, parent_id FROM area").fetchall())
    names = dict(con.execute("SELECT id, name FROM area WHERE id = ?", (municipality_id,)).fetchall())
    inside = set()
    for aid in parents:
        seen, cur = set(), aid
        while cur is not None and cur not in seen:
            if cur == municipality_id:
                inside.add(aid)
                break
            seen.add(cur)
            cur = parents.get(cur)
    return Scope(municipality_id, names.get(municipality_id, municipality_id), frozenset(inside))


@dataclass(frozen=True)
class Plan:
    """What an import would write, worked out from the live store without writing: the file's cells
    (``new``, with their intervals), every cell to write with its status after disclosure control
    (``write``: the file's cells and any earlier cell the complementary rules now hide), the store's cells
    for the same indicators and years before (``existing``), and the decimals of each indicator."""

    new: pd.DataFrame
    write: pd.DataFrame
    existing: pd.DataFrame
    decimals: dict
    encoding: str
    separator: str


XLSX_MAGIC = b"PK\x03\x04"
NOT_XLSX = ("Filen ser ut som en Excel-fil men kan inte läsas. Spara den igen som .xlsx eller som CSV "
            "(semikolonavgränsad).")


def xlsx_as_csv(raw: bytes) -> bytes:
    """An Excel file's first sheet as the CSV bytes Excel's "Spara som CSV (semikolonavgränsad)" writes, so
    that it goes through the same reader and checks as a CSV file; each row keeps its Excel row number as its
    line (empty rows stay, as empty lines). A CSV file is returned as it is."""
    if not raw.startswith(XLSX_MAGIC):
        return raw
    import zipfile

    if len(raw) > MAX_BYTES:
        raise ImportError_([f"Filen är för stor ({len(raw) // 1024} kB); högst {MAX_BYTES // 1024 // 1024} MB."])
    try:
        sheet = pd.read_excel(io.BytesIO(raw), dtype=str, header=None, engine="openpyxl").fillna("")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError):
        raise ImportError_([NOT_XLSX]) from None
    if sheet.empty:
        raise ImportError_(["Excel-filens första blad är tomt."])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for row in sheet.itertuples(index=False):
        writer.writerow([" ".join(str(v).split("\n")) for v in row])
    return out.getvalue().encode("utf-8")


NOT_TEXT = ("Filen är inte en textfil i CSV-format (den innehåller tecken som ingen CSV-fil har). Spara "
            "tabellen från Excel med ”Spara som” → ”CSV (semikolonavgränsad)” och försök igen.")
# Control characters that no CSV file from Excel or a text editor contains (tab, CR and LF are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A number as Swedish Excel writes it: optional sign, digits with an optional space as thousands
# separator, an optional decimal comma or point. No exponent, no 'inf'/'nan', no '7_6' (which Python's
# float() reads as 76), no superscript or other non-ASCII digits.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?", re.ASCII)
_WHOLE = re.compile(r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]0+)?", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_THOUSANDS = re.compile(r"[ \u00a0\u202f]")  # space, no-break space, narrow no-break space
# More respondents than this in one cell is a typing error, not a survey (Sweden has 10.6 M inhabitants).
MAX_RESPONDENTS = 1_000_000


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (BOM or not), else Windows-1252. A file that is neither
    (bytes Windows-1252 leaves undefined, NUL or other control bytes) is refused in Swedish."""
    if b"\x00" in raw:
        raise ImportError_([NOT_TEXT])
    try:
        text, encoding = raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        try:
            text, encoding = raw.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            raise ImportError_([NOT_TEXT]) from None
    if _CONTROL.search(text):
        raise ImportError_([NOT_TEXT])
    return text, encoding


def check_header(names: list[str], columns: dict[str, str], joiner: str) -> None:
    """Refuse a header row (its names after aliases) with a column twice or a required column missing, in
    Swedish: one rule for the CSV and the Excel readers (a duplicated column must never be read from one
    of its copies)."""
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise ImportError_([f"Kolumnen ”{d}” finns flera gånger i rubrikraden." for d in dupes])
    missing = [c for c in columns if c not in names]
    if missing:
        raise ImportError_([f"Kolumnen ”{c}” saknas ({columns[c]}). Kolumnerna ska vara: "
                            f"{joiner.join(columns)}." for c in missing])


def read_table(raw: bytes, columns: dict[str, str] = COLUMNS, aliases: dict[str, str] = ALIASES,
               optional: dict[str, str] | None = None) -> tuple[pd.DataFrame, str, str]:
    """The file as a table of strings with a ``line`` column (the line each row ends on), its encoding
    and its separator; ``optional`` columns the file lacks are empty strings. Parsed with the standard library's csv reader in strict mode, so that every
    malformed row is reported with its line number in Swedish rather than with a parser's message."""
    if len(raw) > MAX_BYTES:
        raise ImportError_([f"Filen är för stor ({len(raw) // 1024} kB); högst {MAX_BYTES // 1024 // 1024} MB."])
    text, encoding = decode(raw)
    if not text.strip():
        raise ImportError_(["Filen är tom."])
    first = text.lstrip("\r\n").splitlines()[0]
    sep = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for fields in reader:
            if any(f.strip() for f in fields):
                records.append((reader.line_num, fields))
    except csv.Error:
        raise ImportError_([f"Rad {reader.line_num + 1} kan inte läsas: ett citattecken (\") stängs inte eller står "
                            "mitt i ett fält. Inget importerades."]) from None
    if not records:
        raise ImportError_(["Filen innehåller bara avgränsare och tomma fält – inga rubriker och inga värden."])
    header = records[0][1]
    names = [aliases.get(c.strip().lower().lstrip("\ufeff"), c.strip().lower().lstrip("\ufeff")) for c in header]
    check_header(names, columns, sep)
    body = records[1:]
    if not body:
        raise ImportError_(["Filen har bara en rubrikrad och inga rader med värden."])
    wrong = [f"Rad {line} har {len(fields)} fält men rubrikraden har {len(header)}; kontrollera avgränsare "
             f"({'semikolon' if sep == ';' else 'komma'}) och citattecken." for line, fields in body
             if len(fields) != len(header)]
    if wrong:
        extra = len(wrong) - MAX_REPORTED_ERRORS
        raise ImportError_(["Inget importerades. Rätta felen och försök igen:"] + wrong[:MAX_REPORTED_ERRORS]
                           + ([f"… och {extra} fel till."] if extra > 0 else []))
    extra_cols = [c for c in (optional or {}) if c in names]
    df = pd.DataFrame([fields for _, fields in body], columns=names, dtype=object)[list(columns) + extra_cols]
    for c in optional or {}:
        if c not in df:
            df[c] = ""
    df["line"] = [line for line, _ in body]
    return df, encoding, "semikolon" if sep == ";" else "komma"


def _number(text: str) -> float | None:
    """A finite number written the Swedish way (see ``_NUMBER``), or None."""
    t = text.strip()
    if not _NUMBER.fullmatch(t):
        return None
    value = float(_THOUSANDS.sub("", t).replace(",", "."))
    return value if math.isfinite(value) else None


def _whole(text: str) -> int | None:
    """A plain non-negative whole number ('1 200', '12', '12,0'), or None."""
    t = text.strip()
    if not _WHOLE.fullmatch(t):
        return None
    return int(_THOUSANDS.sub("", t).replace(",", ".").split(".")[0])


def value_bounds(unit: str) -> tuple[float, float, str]:
    """The values an indicator's unit allows, and how to say so: shares 0–100, an index on 0–1 within it,
    a signed index anything finite, every count, rate, day or merit value ≥ 0."""
    u = str(unit or "").strip().lower()
    if u.startswith("%"):
        return 0.0, 100.0, "en andel ska ligga mellan 0 och 100"
    if "0–1" in u or "0-1" in u:
        return 0.0, 1.0, "indexet ska ligga mellan 0 och 1"
    if u.startswith("index"):
        return -math.inf, math.inf, ""
    return 0.0, math.inf, f"värden i enheten ”{unit}” kan inte vara negativa"


def _area(text: str, areas: dict, by_name: dict[str, list[str]], problems: list[str]) -> str | None:
    """The area a cell names by code, or by a district name that is unique across municipalities."""
    if text in areas:
        return text
    hits = by_name.get(text.lower(), [])
    if len(hits) == 1:
        return hits[0]
    problems.append(f"delområdesnamnet ”{text}” finns i flera kommuner; ange koden" if hits
                    else f"okänt område ”{text}”")
    return None


def _value(text: str, meta, problems: list[str]) -> float | None:
    """The value as Swedish Excel writes it, within what the indicator's unit allows."""
    value = _number(text)
    if value is None:
        problems.append(f"värdet ”{text}” är inget tal (skriv t.ex. 61,5)")
    elif meta is not None:
        low, high, rule = value_bounds(meta[2])
        if not low <= value <= high:
            problems.append(f"värdet {text.strip()} är omöjligt: {rule}" if not str(meta[2]).startswith("%")
                            else f"andelen {text.strip()} ligger utanför 0–100")
    return value


def _respondents(n_text: str, meta, problems: list[str]) -> int | None:
    """A whole number of respondents, 1 to MAX_RESPONDENTS; required for survey indicators."""
    n = _whole(n_text) if n_text else None
    if n_text and n is None:
        problems.append(f"antal svarande ”{n_text}” är inget heltal ≥ 0")
    elif n is not None and n > MAX_RESPONDENTS:
        problems.append(f"antal svarande {n_text} är orimligt många (högst {MAX_RESPONDENTS:,} per cell)"
                        .replace(",", "\u00a0"))
    elif n == 0:
        problems.append("antal svarande är 0 men raden har ett värde")
    if meta is not None and meta[1] == "survey" and not n_text:
        problems.append("antal svarande saknas (krävs för enkätindikatorer)")
    return n


def _interval(r: dict, value: float | None, n: int | None, meta, problems: list[str]) -> tuple:
    """(ki_lag, ki_hog, designeffekt) of a row, each None where not given; a problem for each bad one."""
    lo_text, hi_text, d_text = (str(r.get(c) or "").strip() for c in ("ki_lag", "ki_hog", "designeffekt"))
    lo = hi = deff = None
    if lo_text or hi_text:
        if not (lo_text and hi_text):
            problems.append("ange både ki_lag och ki_hog (eller ingen av dem)")
        else:
            lo, hi = _number(lo_text), _number(hi_text)
            for name, text, x in (("ki_lag", lo_text, lo), ("ki_hog", hi_text, hi)):
                if x is None:
                    problems.append(f"{name} ”{text}” är inget tal (skriv t.ex. 58,2)")
            if lo is not None and hi is not None and value is not None:
                bounds = value_bounds(meta[2]) if meta is not None else (-math.inf, math.inf, "")
                if not lo <= value <= hi:
                    problems.append(f"intervallet {lo_text}–{hi_text} omfattar inte värdet (ki_lag ≤ värde ≤ ki_hog)")
                elif not (bounds[0] <= lo and hi <= bounds[1]):
                    problems.append(f"intervallet {lo_text}–{hi_text} ligger utanför 0–100"
                                    if str(meta[2]).startswith("%") else
                                    f"intervallet {lo_text}–{hi_text} är omöjligt: {bounds[2]}")
    if d_text:
        deff = _number(d_text)
        if deff is None or deff < 1:
            problems.append(f"designeffekten ”{d_text}” ska vara ett tal ≥ 1 (t.ex. 1,4)")
            deff = None
        elif lo_text or hi_text:
            problems.append("ange antingen ki_lag/ki_hog eller designeffekt, inte båda")
        elif n is None:
            problems.append("designeffekt kräver antal svarande")
        elif meta is not None and not str(meta[2]).startswith("%"):
            problems.append("designeffekt används bara för andelar (i procent); ange annars ki_lag och ki_hog")
    return lo, hi, deff


def validate(df: pd.DataFrame, con: files.Connection, scope: Scope | None = None) -> pd.DataFrame:
    """Observation rows for a valid table; ImportError_ with every problem otherwise. With ``scope`` (an
    upload in the app by a municipality's redaktör) every row's area must be that municipality or one of its
    districts."""
    indicators = {r[0]: r for r in con.execute(
        "SELECT id, kind, unit, suppression_threshold, gender_split FROM indicator")}
    areas = {r[0]: r for r in con.execute("SELECT id, name, kind FROM area")}
    by_name: dict[str, list[str]] = {}
    for aid, name, kind in areas.values():
        if kind == "district":
            by_name.setdefault(name.strip().lower(), []).append(aid)
    errors, rows = [], []
    for r in df.to_dict("records"):
        line = r["line"]
        problems = []
        ind = r["indikator"].strip()
        meta = indicators.get(ind)
        if meta is None:
            problems.append(f"okänd indikator ”{ind}”")
        area = _area(r["omrade"].strip(), areas, by_name, problems)
        if area is not None and scope is not None and area not in scope.areas:
            problems.append(f"området ”{r['omrade'].strip()}” hör inte till {scope.name} ({scope.municipality_id}); "
                            "filen får bara innehålla kommunens egna värden")
        year = r["ar"].strip()
        if not (_YEAR.fullmatch(year) and 1990 <= int(year) <= 2100):
            problems.append(f"året ”{year}” är inte ett år mellan 1990 och 2100")
        gender = GENDERS.get(r["kon"].strip().lower())
        if gender is None:
            problems.append(f"könet ”{r['kon']}” ska vara T, K eller M")
        value = _value(r["varde"], meta, problems)
        n = _respondents(r["antal_svarande"].strip(), meta, problems)
        lo, hi, deff = _interval(r, value, n, meta, problems)
        if problems:
            errors.append(f"Rad {line}: " + "; ".join(problems) + ".")
            continue
        rows.append({"line": line, "indicator_id": ind, "area_id": area, "year": int(year), "gender": gender,
                     "value": value, "n": None if n is None else int(n), "ci_low": lo, "ci_high": hi,
                     "deff": deff})
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


def _typed(obs: pd.DataFrame) -> pd.DataFrame:
    """Observation rows with one dtype per column, so that concatenating a frame whose column is all
    empty (a hidden cell keeps no value) gives the same dtypes as any other (no pandas FutureWarning)."""
    out = obs.copy()
    for col in ("value", "n", "ci_low", "ci_high"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    out["year"] = out["year"].astype("int64")
    for col in ("indicator_id", "area_id", "gender", "status", "status_reason"):
        out[col] = out[col].astype(object)
    return out


def import_survey(target: Path, path: Path) -> ImportResult:
    """Validate ``path`` and upsert its rows, with suppression and 95 % intervals (given, or Wilson's with
    the design effect), into the store. The
    store's lock is held from reading its cells to publishing, so two imports at once both land."""
    return import_survey_data(target, path.name, read_file(path))


def read_survey(raw: bytes) -> tuple[pd.DataFrame, str, str]:
    """A survey file's bytes (CSV, or an Excel file's first sheet) as the checked table of strings, its
    encoding and separator; ImportError_ in Swedish otherwise. The command line and the app's upload both
    read files here."""
    return read_table(xlsx_as_csv(raw), optional=OPTIONAL_COLUMNS)


def import_survey_data(target: Path, file_name: str, raw: bytes, command: str | None = None,
                       audit: dict | None = None, scope_id: str | None = None) -> ImportResult:
    """``import_survey`` of a file's bytes: the app's upload runs this too (``command``: what the store's
    history records; ``audit``: who and what, kept with the run; ``scope_id``: the municipality every row
    must belong to)."""
    df, encoding, sep = read_survey(raw)
    check_store(target)
    with store_lock(target):
        plan = plan_import(target, df, encoding, sep, scope_id=scope_id)
        return write_plan(target, file_name, plan, command=command, audit=audit)


def read_file(path: Path) -> bytes:
    """The file's bytes, or a Swedish refusal: missing, a folder, unreadable, too large."""
    try:
        if path.is_dir():
            raise ImportError_([f"{path} är en mapp, inte en fil. Ange CSV-filen."])
        if not path.exists():
            raise ImportError_([f"Filen {path} finns inte."])
        if path.stat().st_size > MAX_BYTES:
            raise ImportError_([f"Filen är för stor ({path.stat().st_size // 1024} kB); högst "
                                f"{MAX_BYTES // 1024 // 1024} MB."])
        return path.read_bytes()
    except PermissionError:
        raise ImportError_([f"Filen {path} får inte läsas (behörighet saknas)."]) from None
    except OSError as exc:
        raise ImportError_([f"Filen {path} kan inte läsas ({exc.strerror or 'okänt fel'})."]) from None


def check_store(target: Path) -> None:
    """Refuse in Swedish when the store is missing, empty, not SQLite or of another schema version."""
    from store import schema

    build = "bygg den med make demo eller python -m etl build"
    if not target.is_file():
        raise ImportError_([f"Databasen {target} finns inte; {build}."])
    try:
        con = files.connect(target, read_only=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except files.Error:
        raise ImportError_([f"{target} är ingen indikatordatabas (tom eller skadad fil); {build}."]) from None
    if row is None or row[0] != schema.SCHEMA_VERSION:
        raise ImportError_([f"Databasen {target} har en annan schemaversion ({row[0] if row else 'saknas'}, "
                            f"ska vara {schema.SCHEMA_VERSION}); {build}."])
    missing = sorted(set(schema.metadata.tables) - tables)
    if missing:
        raise ImportError_([f"Databasen {target} saknar tabeller ({', '.join(missing)}); {build}."])


def _with_intervals(rows: pd.DataFrame, units: dict) -> pd.DataFrame:
    """Each row's 95 % interval: as given (ki_lag, ki_hog); Wilson's with the effective sample size n/deff
    where a design effect is given; else Wilson's from n, for shares with respondents."""
    out = rows.copy()
    for col in ("ci_low", "ci_high", "deff"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    given = out["ci_low"].notna() & out["ci_high"].notna()
    is_share = out["indicator_id"].map(lambda i: str(units.get(i, "")).startswith("%")) & out["n"].notna()
    plain = is_share & ~given & out["deff"].isna()
    low, high = wilson_interval(out.loc[plain, "value"], out.loc[plain, "n"].astype(float))
    out.loc[plain, "ci_low"], out.loc[plain, "ci_high"] = np.round(low, 2), np.round(high, 2)
    weighted = is_share & ~given & out["deff"].notna()
    if weighted.any():
        n_eff = out.loc[weighted, "n"].astype(float) / out.loc[weighted, "deff"]
        low, high = proportion_confint(out.loc[weighted, "value"] / 100 * n_eff, n_eff, alpha=0.05, method="wilson")
        out.loc[weighted, "ci_low"] = np.round(100 * np.asarray(low, dtype=float), 2)
        out.loc[weighted, "ci_high"] = np.round(100 * np.asarray(high, dtype=float), 2)
    return out


def must_stay_hidden(existing: pd.DataFrame, new: pd.DataFrame, thresholds: dict[str, int]) -> set[tuple]:
    """The cells a corrected delivery of a year already published may not publish (the two versions are one
    table to an outsider who downloaded both):

    - en gång dold, alltid dold: a cell hidden in the published store stays hidden when the delivery
      brings it again (else the earlier total minus a part published now gives it);
    - a published cell whose respondents change by fewer than the threshold (four late questionnaires):
      the new value minus the old one is the answer of those few, so the new value is hidden too.

    The complementary rules then protect these cells as any other hidden cell."""
    key = ["indicator_id", "area_id", "year", "gender"]
    hidden = existing.loc[existing["status"] == "suppressed", key]
    out = set(zip(hidden["indicator_id"], hidden["area_id"], hidden["year"].astype(int), hidden["gender"],
                  strict=True))
    both = existing[existing["status"] == "ok"].merge(new[[*key, "n"]], on=key, suffixes=("_old", ""))
    step = (both["n"] - both["n_old"]).abs()
    thr = both["indicator_id"].map(thresholds).fillna(10)
    few = both[(step > 0) & (step < thr)]
    out |= set(zip(few["indicator_id"], few["area_id"], few["year"].astype(int), few["gender"], strict=True))
    return out


def plan_import(target: Path, df: pd.DataFrame, encoding: str, sep: str, scope_id: str | None = None) -> Plan:
    """Validate the table against the store and work out what the import writes (``Plan``); writes nothing.
    ImportError_ with every problem otherwise."""
    con = files.connect(target, read_only=True)
    try:
        scope = municipality_scope(con, scope_id) if scope_id is not None else None
        rows = validate(df, con, scope)
        thresholds = {r[0]: int(r[1] or 10) for r in con.execute(
            "SELECT id, suppression_threshold FROM indicator WHERE kind = 'survey'")}
        hierarchy = Hierarchy.from_areas(pd.read_sql(
            "SELECT id, parent_id, kind, district_system FROM area", con))
        units = dict(con.execute("SELECT id, unit FROM indicator").fetchall())
        decimals = dict(con.execute("SELECT id, decimals FROM indicator").fetchall())
        min_answers = min_answer_counts(con.execute("SELECT id, kind, unit FROM indicator").fetchall())
        # Cells already in the store for the same indicators and years take part in the suppression
        # check, so that an import cannot make an earlier suppressed cell recoverable.
        keys = rows[["indicator_id", "year"]].drop_duplicates()
        sql = ("SELECT indicator_id, area_id, year, gender, value, n, ci_low, ci_high, status, status_reason "
               "FROM observation WHERE indicator_id = ? AND year = ?")
        parts = [_typed(part) for k in keys.itertuples()
                 if not (part := pd.read_sql(sql, con, params=(k.indicator_id, int(k.year)))).empty]
        existing = (pd.concat(parts, ignore_index=True) if parts
                    else _typed(pd.read_sql(sql + " AND 0", con, params=("", 0))))
    finally:
        con.close()
    new = _with_intervals(rows.assign(status="ok", status_reason=None), units)[OBS_COLUMNS]
    key = ["indicator_id", "area_id", "year", "gender"]
    kept = existing.set_index(key).drop(new.set_index(key).index, errors="ignore").reset_index()
    combined = pd.concat([_typed(kept), _typed(new)], ignore_index=True) if not kept.empty else new.copy()
    combined = suppress(combined, thresholds, hierarchy, min_answers=min_answers,
                        keep_hidden=must_stay_hidden(existing, new, thresholds))
    # Write the imported cells, and any earlier cell whose status the suppression changed.
    imported = combined.set_index(key).index.isin(new.set_index(key).index)
    before = existing.set_index(key)["status"]
    old_status = combined.set_index(key).index.map(lambda k: before.get(k))
    write = combined[imported | (combined["status"].to_numpy() != np.asarray(old_status, dtype=object))][OBS_COLUMNS]
    return Plan(new=new, write=write, existing=existing, decimals=decimals, encoding=encoding, separator=sep)


def write_plan(target: Path, file_name: str, plan: Plan, command: str | None = None,
               audit: dict | None = None) -> ImportResult:
    """Publish a plan's cells (the caller holds the store's lock since ``plan_import`` read the store)."""
    from etl.kolada_values import load_observations

    write = plan.write
    load_observations(target, write, {}, source="Lokal enkät (CSV-import)", what=f"fil {file_name}",
                      fetched_at=now_iso(), command=command or f"python -m etl import-survey {file_name}",
                      audit=audit)
    return ImportResult(rows=len(plan.new), suppressed=int((write["status"] == "suppressed").sum()),
                        encoding=plan.encoding, separator=plan.separator,
                        indicators=sorted(plan.new["indicator_id"].unique()))
