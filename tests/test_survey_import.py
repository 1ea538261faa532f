"""Survey CSV import: what Swedish Excel writes goes in; every kind of bad file is refused with
Swedish messages and line numbers, and the store stays as it was."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from etl.survey_import import ImportError_, import_survey

ROOT = Path(__file__).resolve().parent.parent
HEADER = "indikator;omrade;ar;kon;varde;antal_svarande"


@pytest.fixture
def store(demo_store, tmp_path):
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    return target


def district(store: Path) -> tuple[str, str]:
    with sqlite3.connect(store) as con:
        return con.execute("SELECT id, name FROM area WHERE municipality_id = '1287' AND kind = 'district' "
                           "AND district_system IN ('RegSO', 'demo') ORDER BY id LIMIT 1").fetchone()


def cell(store: Path, ind: str, area: str, year: int, gender: str):
    with sqlite3.connect(store) as con:
        return con.execute("SELECT value, n, status, ci_low, ci_high FROM observation WHERE indicator_id = ? "
                           "AND area_id = ? AND year = ? AND gender = ?", (ind, area, year, gender)).fetchone()


def write(tmp_path: Path, lines: list[str], encoding: str = "utf-8-sig", sep: str = ";") -> Path:
    path = tmp_path / "enkat.csv"
    text = "\r\n".join(line.replace(";", sep) for line in lines) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def test_the_template_imports(store):
    result = import_survey(store, ROOT / "data" / "templates" / "enkat_mall.csv")
    assert result.rows == 5 and result.encoding == "UTF-8"
    value, n, status, lo, hi = cell(store, "ENK_TRYGG_OMRADE", "1287", 2024, "K")
    assert (value, n, status) == (70.1, 702, "ok") and lo < 70.1 < hi


def test_the_template_shows_a_design_effect_and_a_given_interval(store, tmp_path):
    # A year the demo store has not published: an earlier delivery of the same cells would keep cells whose n
    # changes by fewer than the threshold hidden (issue #26, corrected deliveries).
    text = (ROOT / "data" / "templates" / "enkat_mall.csv").read_text(encoding="utf-8-sig")
    template = tmp_path / "mall_2026.csv"
    template.write_text(text.replace(";2024;", ";2026;"), encoding="utf-8-sig")
    import_survey(store, template)
    # Flickor: designeffekt 1,4 → Wilson with n = 210 / 1,4; the raw n stays stored (disclosure counts it).
    value, n, status, lo, hi = cell(store, "ENK_FRAMTIDSTRO", "1287", 2026, "K")
    assert (value, n, status) == (78.5, 210, "ok")
    assert (lo, hi) == pytest.approx(_wilson(78.5, 210 / 1.4), abs=0.006)
    # Pojkar: the survey's own interval, stored as given.
    assert cell(store, "ENK_FRAMTIDSTRO", "1287", 2026, "M") == (84.0, 198, "ok", 77.9, 88.7)


def _wilson(pct: float, n: float) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(pct / 100 * n, n, alpha=0.05, method="wilson")
    return 100 * lo, 100 * hi


HEADER_CI = HEADER + ";ki_lag;ki_hog;designeffekt"


def test_a_design_effect_widens_the_interval_by_its_square_root(store, tmp_path):
    """A weighted survey's design effect: the interval is Wilson's with the effective n = n/deff, so about √deff
    times as wide as the raw n's; without one the raw n's Wilson interval as before."""
    import_survey(store, write(tmp_path, [HEADER_CI, "ENK_TRYGG_OMRADE;1287;2022;K;60,0;900;;;",
                                          "ENK_TRYGG_OMRADE;1287;2022;M;60,0;900;;;2,25",
                                          "ENK_TRYGG_OMRADE;1287;2022;T;60,0;1800;;;1,0"]))
    plain = cell(store, "ENK_TRYGG_OMRADE", "1287", 2022, "K")
    weighted = cell(store, "ENK_TRYGG_OMRADE", "1287", 2022, "M")
    assert plain[1] == weighted[1] == 900  # n is the raw number of respondents
    width = plain[4] - plain[3]
    assert weighted[4] - weighted[3] == pytest.approx(width * 1.5, rel=0.02)  # √2,25 = 1,5
    assert weighted[3:] == pytest.approx(_wilson(60.0, 400), abs=0.006)
    assert cell(store, "ENK_TRYGG_OMRADE", "1287", 2022, "T")[3:] == pytest.approx(_wilson(60.0, 1800), abs=0.006)


def test_a_given_interval_is_stored_as_given_with_decimal_comma(store, tmp_path):
    lines = [HEADER_CI, "ENK_TRYGG_OMRADE;1287;2022;T;61,5;1200;57,25;65,5;",
             "ENK_TRYGG_OMRADE;1287;2022;K;60;600;;;"]
    import_survey(store, write(tmp_path, lines))
    assert cell(store, "ENK_TRYGG_OMRADE", "1287", 2022, "T") == (61.5, 1200, "ok", 57.25, 65.5)
    assert cell(store, "ENK_TRYGG_OMRADE", "1287", 2022, "K")[3:] == pytest.approx(_wilson(60.0, 600), abs=0.006)
    # Aliased headers (ki_låg, ki_hög, deff) are read too; the columns may stand in any order.
    lines = ["indikator;omrade;ar;kon;varde;antal_svarande;deff;ki_hög;ki_låg",
             "ENK_TRYGG_OMRADE;1287;2021;T;61,5;1200;;66;57", "ENK_TRYGG_OMRADE;1287;2021;K;61,5;600;1,5;;"]
    import_survey(store, write(tmp_path, lines))
    assert cell(store, "ENK_TRYGG_OMRADE", "1287", 2021, "T")[3:] == (57.0, 66.0)
    assert cell(store, "ENK_TRYGG_OMRADE", "1287", 2021, "K")[3:] == pytest.approx(_wilson(61.5, 400), abs=0.006)


@pytest.mark.parametrize("row,message", [
    ("ENK_TRYGG_OMRADE;1287;2024;T;50;100;55;60;", "Rad 3: intervallet 55–60 omfattar inte värdet"),
    ("ENK_TRYGG_OMRADE;1287;2024;T;50;100;45;40;", "Rad 3: intervallet 45–40 omfattar inte värdet"),
    ("ENK_TRYGG_OMRADE;1287;2024;T;99;100;95;101,5;", "Rad 3: intervallet 95–101,5 ligger utanför 0–100"),
    ("ENK_TRYGG_OMRADE;1287;2024;T;50;100;-1;55;", "Rad 3: intervallet -1–55 ligger utanför 0–100"),
    ("ENK_TRYGG_OMRADE;1287;2024;T;50;100;45;;", "Rad 3: ange både ki_lag och ki_hog"),
    ("ENK_TRYGG_OMRADE;1287;2024;T;50;100;fyrtio;55;", "Rad 3: ki_lag ”fyrtio” är inget tal"),
    ("ENK_TRYGG_OMRADE;1287;2024;T;50;100;;;0,8", "Rad 3: designeffekten ”0,8” ska vara ett tal ≥ 1"),
    ("ENK_TRYGG_OMRADE;1287;2024;T;50;100;;;hög", "Rad 3: designeffekten ”hög” ska vara ett tal ≥ 1"),
    ("ENK_TRYGG_OMRADE;1287;2024;T;50;100;45;55;1,5", "Rad 3: ange antingen ki_lag/ki_hog eller designeffekt"),
])
def test_bad_intervals_and_design_effects_are_refused_with_the_line(store, tmp_path, row, message):
    before = store.read_bytes()
    with pytest.raises(ImportError_) as err:
        import_survey(store, write(tmp_path, [HEADER_CI, "ENK_TRYGG_OMRADE;1287;2019;T;70;300;;;", row]))
    assert message in str(err.value), str(err.value)
    assert "Inget importerades" in str(err.value)
    assert store.read_bytes() == before


def test_windows_1252_with_district_names_and_decimal_comma(store, tmp_path):
    did, name = district(store)
    lines = [HEADER, f"ENK_TRYGG_OMRADE;{name};2023;Kvinnor;61,5;40", f"ENK_TRYGG_OMRADE;{name};2023;Män;70,25;44",
             f"ENK_TRYGG_OMRADE;{name};2023;Totalt;66,1;84"]
    result = import_survey(store, write(tmp_path, lines, encoding="cp1252"))
    assert result.encoding == "Windows-1252"
    assert cell(store, "ENK_TRYGG_OMRADE", did, 2023, "M")[:3] == (70.25, 44, "ok")


def test_comma_separated_with_aliased_headers(store, tmp_path):
    lines = ["Indikator,Område,År,Kön,Andel,Antal svarande", "ENK_FRAMTIDSTRO,1287,2022,T,80.5,400"]
    path = tmp_path / "komma.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = import_survey(store, path)
    assert result.separator == "komma"
    assert cell(store, "ENK_FRAMTIDSTRO", "1287", 2022, "T")[:2] == (80.5, 400)


def test_small_cells_are_suppressed_and_protected(store, tmp_path):
    did, _ = district(store)
    lines = [HEADER, f"ENK_TRYGG_OMRADE;{did};2021;K;50,0;4", f"ENK_TRYGG_OMRADE;{did};2021;M;60,0;30",
             f"ENK_TRYGG_OMRADE;{did};2021;T;58,0;34"]
    result = import_survey(store, write(tmp_path, lines))
    assert result.suppressed >= 2
    assert cell(store, "ENK_TRYGG_OMRADE", did, 2021, "K")[2] == "suppressed"
    assert cell(store, "ENK_TRYGG_OMRADE", did, 2021, "K")[0] is None
    assert cell(store, "ENK_TRYGG_OMRADE", did, 2021, "M")[2] == "suppressed"  # else K = T − M


@pytest.mark.parametrize("lines,message", [
    ([HEADER, "FINNS_INTE;1287;2024;T;50;100"], "Rad 2: okänd indikator ”FINNS_INTE”"),
    ([HEADER, "ENK_FRAMTIDSTRO;Atlantis;2024;T;50;100"], "Rad 2: okänt område ”Atlantis”"),
    ([HEADER, "ENK_FRAMTIDSTRO;1287;20x4;T;50;100"], "året ”20x4”"),
    ([HEADER, "ENK_FRAMTIDSTRO;1287;2024;X;50;100"], "könet ”X”"),
    ([HEADER, "ENK_FRAMTIDSTRO;1287;2024;T;femtio;100"], "värdet ”femtio” är inget tal"),
    ([HEADER, "ENK_FRAMTIDSTRO;1287;2024;T;150;100"], "utanför 0–100"),
    ([HEADER, "ENK_FRAMTIDSTRO;1287;2024;T;50;"], "antal svarande saknas"),
    ([HEADER, "ENK_FRAMTIDSTRO;1287;2024;T;50;12,5"], "inget heltal"),
    ([HEADER, "ENK_FRAMTIDSTRO;1287;2024;T;50;100", "ENK_FRAMTIDSTRO;1287;2024;T;51;100"], "Raderna 3, 4"),
    (["indikator;omrade;ar;kon;varde", "ENK_FRAMTIDSTRO;1287;2024;T;50"], "Kolumnen ”antal_svarande” saknas"),
    ([""], "Filen är tom"),
])
def test_bad_files_import_nothing(store, tmp_path, lines, message):
    before = store.read_bytes()
    good = "ENK_FRAMTIDSTRO;1287;2019;T;70;300"
    with pytest.raises(ImportError_) as err:
        import_survey(store, write(tmp_path, lines[:1] + [good] + lines[1:] if len(lines) > 1 else lines))
    assert message in str(err.value) or message.replace("Rad 2", "Rad 3") in str(err.value), str(err.value)
    assert store.read_bytes() == before


def test_oversized_file_is_refused(store, tmp_path):
    path = tmp_path / "stor.csv"
    path.write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ImportError_, match="för stor"):
        import_survey(store, path)


@pytest.mark.slow
def test_command_line_reports_in_swedish(store, tmp_path):
    path = write(tmp_path, [HEADER, "ENK_FRAMTIDSTRO;1287;2024;T;femtio;100"])
    proc = subprocess.run([sys.executable, "-m", "etl", "--store", str(store), "import-survey", str(path)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 4
    assert "Inget importerades" in proc.stderr and "Rad 2" in proc.stderr and "orörd" in proc.stderr


def _findings(store: Path) -> list[str]:
    from etl.disclosure_check import check_store

    with sqlite3.connect(store) as con:
        return [f.message() for f in check_store(con)]


def _districts(store: Path, kommun: str, system: str | None = None) -> list[str]:
    with sqlite3.connect(store) as con:
        rows = con.execute("SELECT id, district_system FROM area WHERE municipality_id = ? AND kind = 'district' "
                           "ORDER BY id", (kommun,)).fetchall()
    main = [r[0] for r in rows if r[1] in ("RegSO", "demo")]
    return main if system is None else [r[0] for r in rows if r[1] == system]


def test_pooled_small_districts_are_protected(store, tmp_path):
    """Issue #10: two districts with n=3 and n=4 in one import; their pool (7) must not be the municipality
    minus the rest, and nothing about the hidden cells reaches the store."""
    ids = _districts(store, "1287")
    counts = {d: (3 if i == 0 else 4 if i == 1 else 25 + i) for i, d in enumerate(ids)}
    lines = [HEADER] + [f"ENK_TRYGG_OMRADE;{d};2026;T;70,0;{n}" for d, n in counts.items()]
    lines.append(f"ENK_TRYGG_OMRADE;1287;2026;T;70,0;{sum(counts.values())}")
    import_survey(store, write(tmp_path, lines))
    status = {d: cell(store, "ENK_TRYGG_OMRADE", d, 2026, "T") for d in ids}
    hidden = [d for d, c in status.items() if c[2] == "suppressed"]
    assert ids[0] in hidden and ids[1] in hidden and len(hidden) >= 3
    assert all(status[d][:2] == (None, None) and status[d][3:] == (None, None) for d in hidden)
    published_n = sum(c[1] for c in status.values() if c[2] == "ok")
    assert sum(counts.values()) - published_n >= 10
    assert _findings(store) == []


def test_deso_inside_regso_is_protected(store, tmp_path, geo_dir):
    """Issue #10: a DeSO with n=5 must not be its RegSO minus its other DeSO."""
    if geo_dir is None:
        pytest.skip("../shared/geo/deso is absent: the demo store has no DeSO to import into")
    with sqlite3.connect(store) as con:
        regso, = con.execute("SELECT parent_id FROM area WHERE municipality_id = '1287' AND district_system = 'DeSO' "
                             "GROUP BY parent_id HAVING COUNT(*) >= 3 ORDER BY parent_id LIMIT 1").fetchone()
        deso = [r[0] for r in con.execute("SELECT id FROM area WHERE parent_id = ? ORDER BY id", (regso,))]
    counts = {d: (5 if i == 0 else 30 + i) for i, d in enumerate(deso)}
    lines = [HEADER] + [f"ENK_TRYGG_OMRADE;{d};2026;T;60,0;{n}" for d, n in counts.items()]
    lines.append(f"ENK_TRYGG_OMRADE;{regso};2026;T;60,0;{sum(counts.values())}")
    import_survey(store, write(tmp_path, lines))
    status = {d: cell(store, "ENK_TRYGG_OMRADE", d, 2026, "T")[2] for d in deso}
    assert status[deso[0]] == "suppressed"
    assert sum(s == "suppressed" for s in status.values()) >= 2
    assert cell(store, "ENK_TRYGG_OMRADE", regso, 2026, "T")[2] == "ok"
    assert _findings(store) == []


@pytest.mark.slow
def test_a_later_import_cannot_uncover_an_earlier_hidden_cell(store, tmp_path):
    """Cells hidden by an earlier import keep no n; re-importing the other districts must not make them
    recoverable."""
    ids = _districts(store, "1287")
    counts = {d: (6 if i == 0 else 30 + i) for i, d in enumerate(ids)}
    first = [HEADER] + [f"ENK_FRAMTIDSTRO;{d};2026;T;70,0;{n}" for d, n in counts.items()]
    first.append(f"ENK_FRAMTIDSTRO;1287;2026;T;70,0;{sum(counts.values())}")
    import_survey(store, write(tmp_path, first))
    # The second file only corrects the published districts' values.
    second = [HEADER] + [f"ENK_FRAMTIDSTRO;{d};2026;T;71,0;{n}" for d, n in list(counts.items())[2:]]
    import_survey(store, write(tmp_path, second))
    assert cell(store, "ENK_FRAMTIDSTRO", ids[0], 2026, "T")[2] == "suppressed"
    assert _findings(store) == []


@pytest.mark.slow
def test_two_imports_at_once_both_land(store, tmp_path):
    """Issue #18: two imports started together: the second waits for the first (and says so); neither
    deletes the other's work file; both values are in the store."""
    files = []
    for i, (ind, value) in enumerate((("ENK_FRAMTIDSTRO", "71,5"), ("ENK_ENSAMHET", "12,5"))):
        path = tmp_path / f"enkat{i}.csv"
        path.write_text(f"{HEADER}\n{ind};1287;2026;T;{value};400\n", encoding="utf-8")
        files.append(path)
    procs = [subprocess.Popen([sys.executable, "-m", "etl", "--store", str(store), "import-survey", str(p)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in files]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert "Traceback" not in "".join(out + err for out, err in results)
    assert cell(store, "ENK_FRAMTIDSTRO", "1287", 2026, "T")[:2] == (71.5, 400)
    assert cell(store, "ENK_ENSAMHET", "1287", 2026, "T")[:2] == (12.5, 400)
    assert not list(store.parent.glob(f"{store.name}.building-*"))


def test_the_app_sees_an_import_at_once(store, tmp_path, monkeypatch):
    """Issue #18: every publish gets a new build id and the app's caches follow the file, not a timer."""
    from services import store as svc_store

    monkeypatch.setenv("INDICATOR_STORE", str(store))
    svc_store.clear_caches()
    try:
        before = svc_store.get_store_info().version_key
        assert svc_store.q("series", indicator_id="ENK_FRAMTIDSTRO", area_ids=("1287",), year_from=2026,
                           year_to=2026).empty
        import_survey(store, write(tmp_path, [HEADER, "ENK_FRAMTIDSTRO;1287;2026;T;66,0;300"]))
        after = svc_store.get_store_info().version_key
        assert after != before
        rows = svc_store.q("series", indicator_id="ENK_FRAMTIDSTRO", area_ids=("1287",), year_from=2026,
                           year_to=2026)
        assert rows["value"].tolist() == [66.0]
    finally:
        monkeypatch.undo()
        svc_store.clear_caches()


# --- Hostile files (issue #18): a Swedish refusal for each, nothing changed, no warning -----------------

# Words of Python's, pandas' and the csv module's own messages; none belongs in a refusal to a user.
ENGLISH = ("Error", "error", "Traceback", "codec", "expected", "invalid", "could not", "No such", "tokeniz",
           "Errno", "line ", "field", "object")


def assert_swedish_refusal(exc: ImportError_) -> None:
    import re

    assert str(exc).strip(), "an empty refusal"
    text = re.sub(r"”[^”]*”", "”…”", str(exc))  # the user's own values, quoted back, may be anything
    for word in ENGLISH:
        assert word not in text, f"{word!r} in {text!r}"


GOOD = "ENK_FRAMTIDSTRO;1287;2019;T;70;300"
HOSTILE_ROWS = {
    "n inf": "ENK_FRAMTIDSTRO;1287;2024;T;50;inf",
    "n Infinity": "ENK_FRAMTIDSTRO;1287;2024;T;50;Infinity",
    "n 1e400": "ENK_FRAMTIDSTRO;1287;2024;T;50;1e400",
    "n 1e30": "ENK_FRAMTIDSTRO;1287;2024;T;50;1e30",
    "n 20 digits": "ENK_FRAMTIDSTRO;1287;2024;T;50;12345678901234567890",
    "n 1e10": "ENK_FRAMTIDSTRO;1287;2024;T;50;10000000000",
    "n nan": "ENK_FRAMTIDSTRO;1287;2024;T;50;nan",
    "n negative": "ENK_FRAMTIDSTRO;1287;2024;T;50;-5",
    "n zero": "ENK_FRAMTIDSTRO;1287;2024;T;50;0",
    "n 7_6": "ENK_FRAMTIDSTRO;1287;2024;T;50;7_6",
    "value inf": "ENK_FRAMTIDSTRO;1287;2024;T;inf;100",
    "value -inf": "ENK_FRAMTIDSTRO;1287;2024;T;-inf;100",
    "value 1e308": "ENK_FRAMTIDSTRO;1287;2024;T;1e308;100",
    "value -1e308": "ENK_FRAMTIDSTRO;1287;2024;T;-1e308;100",
    "value nan": "ENK_FRAMTIDSTRO;1287;2024;T;nan;100",
    "value 7_6": "ENK_FRAMTIDSTRO;1287;2024;T;7_6;100",
    "negative share": "ENK_FRAMTIDSTRO;1287;2024;T;-3;100",
    "register nan": "N00945;1287;2024;T;nan;",
    "register negative count": "N11701;1287;2024;T;-1;",
    "superscript year": "ENK_FRAMTIDSTRO;1287;202²;T;50;100",
    "arabic-indic year": "ENK_FRAMTIDSTRO;1287;٢٠٢٤;T;50;100",
    "year 99999": "ENK_FRAMTIDSTRO;1287;99999;T;50;100",
    "too many fields": "ENK_FRAMTIDSTRO;1287;2024;T;50;100;extra",
    "too few fields": "ENK_FRAMTIDSTRO;1287;2024",
    "open quote": 'ENK_FRAMTIDSTRO;"1287;2024;T;50;100',
    "quote inside": 'ENK_FRAMTIDSTRO;12"87;2024;T;50;100',
}


@pytest.mark.parametrize("case", sorted(HOSTILE_ROWS))
def test_hostile_rows_get_a_swedish_refusal_and_change_nothing(store, tmp_path, case):
    before = store.read_bytes()
    with pytest.raises(ImportError_) as err:
        import_survey(store, write(tmp_path, [HEADER, GOOD, HOSTILE_ROWS[case]]))
    assert_swedish_refusal(err.value)
    assert "Rad 3" in str(err.value) or "Rad 4" in str(err.value), str(err.value)  # the hostile line
    assert store.read_bytes() == before


HOSTILE_FILES = {
    "header only": (HEADER + "\r\n").encode(),
    "header only, no newline": HEADER.encode(),
    "undefined in Windows-1252": (HEADER + "\r\nENK_FRAMTIDSTRO;1287;2024;T;50;100\r\n").encode() + b"\x81\x8d\x90",
    "random binary": bytes(range(256)) * 40,
    "a zip file": b"PK\x03\x04" + bytes(200),
    "a PNG": b"\x89PNG\r\n\x1a\n" + bytes(100),
    "only separators": b";;;;;\r\n;;;;;\r\n",
    "duplicate column": (HEADER + ";område\r\n" + GOOD + ";1287\r\n").encode(),
    "whitespace": b"  \r\n\t\r\n",
    "utf-16": (HEADER + "\r\n" + GOOD + "\r\n").encode("utf-16"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_hostile_files_get_a_swedish_refusal_and_change_nothing(store, tmp_path, case):
    before = store.read_bytes()
    path = tmp_path / "fil.csv"
    path.write_bytes(HOSTILE_FILES[case])
    with pytest.raises(ImportError_) as err:
        import_survey(store, path)
    assert_swedish_refusal(err.value)
    assert store.read_bytes() == before


def test_missing_file_folder_and_broken_stores_are_refused_in_swedish(store, tmp_path):
    good = write(tmp_path, [HEADER, GOOD])
    cases = [(store, tmp_path / "finns-inte.csv", "finns inte"), (store, tmp_path, "är en mapp"),
             (tmp_path / "ingen.sqlite", good, "finns inte")]
    empty = tmp_path / "tom.sqlite"
    empty.write_bytes(b"")
    junk = tmp_path / "skrap.sqlite"
    junk.write_bytes(b"inte en databas" * 100)
    other = tmp_path / "annan.sqlite"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    cases += [(empty, good, "ingen indikatordatabas"), (junk, good, "ingen indikatordatabas"),
              (other, good, "ingen indikatordatabas")]
    for target, path, message in cases:
        before = target.read_bytes() if target.is_file() else None
        with pytest.raises(ImportError_) as err:
            import_survey(target, path)
        assert message in str(err.value), (target, path, str(err.value))
        assert_swedish_refusal(err.value)
        assert (target.read_bytes() if target.is_file() else None) == before


@pytest.mark.slow
def test_command_line_refuses_a_missing_file_without_a_traceback(store, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "etl", "--store", str(store), "import-survey",
                           str(tmp_path / "saknas.csv")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 4 and "finns inte" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_a_successful_import_prints_no_warning(store, tmp_path):
    did, _ = district(store)
    path = write(tmp_path, [HEADER, f"ENK_TRYGG_OMRADE;{did};1999;K;50,0;40", f"ENK_TRYGG_OMRADE;{did};1999;M;60;30",
                            "N11701;1287;1999;T;1 200;"])
    proc = subprocess.run([sys.executable, "-W", "always", "-m", "etl", "--store", str(store), "import-survey",
                           str(path)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Warning" not in proc.stderr + proc.stdout, proc.stderr
    assert cell(store, "N11701", "1287", 1999, "T")[0] == 1200


def test_thousands_spaces_and_whole_decimals_are_read_as_people_write_them(store, tmp_path):
    path = write(tmp_path, [HEADER, "ENK_FRAMTIDSTRO;1287;1998;T;55,5;1 204,0"])
    import_survey(store, path)
    assert cell(store, "ENK_FRAMTIDSTRO", "1287", 1998, "T")[:2] == (55.5, 1204)


# --- Fuzz (issue #18): whatever the file holds, a result or a Swedish refusal; never anything else ---------

from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as hs  # noqa: E402

TOKENS = ["ENK_FRAMTIDSTRO", "ENK_TRYGG_OMRADE", "N11701", "N00309", "N00997", "FINNS_INTE", "1287", "0181",
          "Atlantis", "2024", "1999", "202²", "1e3", "T", "K", "M", "Kvinnor", "x", "", " ", "0", "-1", "50",
          "50,5", "50.5", "1 200", "1e400", "inf", "-inf", "nan", "NaN", "7_6", "12345678901234567890", '"',
          '""', "'", ";", ",", "\u00a0", "\u200b", "ÅÄÖ", "=cmd|' /C calc'!A0", "<script>", "\\", "\t"]
FIELD = hs.one_of(hs.sampled_from(TOKENS), hs.text(max_size=8))
ROW = hs.lists(FIELD, min_size=0, max_size=8)
FUZZ_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _outcome(store: Path, path: Path) -> None:
    import math
    import warnings

    from etl.survey_import import value_bounds

    before = store.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning on the way fails the example
        try:
            result = import_survey(store, path)
        except ImportError_ as exc:
            assert_swedish_refusal(exc)
            assert store.read_bytes() == before
            event("avvisad")
            return
    event("importerad")
    assert result.rows > 0
    with sqlite3.connect(store) as con:
        for value, n, unit in con.execute(
                "SELECT o.value, o.n, i.unit FROM observation o JOIN indicator i ON i.id = o.indicator_id "
                "JOIN source_fetch f ON f.id = o.fetch_id WHERE f.source LIKE 'Lokal enkät%' AND o.status = 'ok'"):
            low, high, _ = value_bounds(unit)
            assert math.isfinite(value) and low <= value <= high, (value, unit)
            assert n is None or 0 < n <= 1_000_000


@pytest.mark.slow
@FUZZ_SETTINGS
@given(rows=hs.lists(ROW, min_size=0, max_size=6), sep=hs.sampled_from([";", ","]),
       encoding=hs.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_fuzzed_tables_give_a_result_or_a_swedish_refusal(store, tmp_path, rows, sep, encoding):
    lines = [HEADER.replace(";", sep)] + [sep.join(r) for r in rows]
    path = tmp_path / "fuzz.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding, errors="replace"))
    _outcome(store, path)


@pytest.mark.slow
@FUZZ_SETTINGS
@given(raw=hs.binary(max_size=400))
def test_fuzzed_bytes_give_a_swedish_refusal(store, tmp_path, raw):
    path = tmp_path / "fuzz.bin"
    path.write_bytes(raw)
    _outcome(store, path)


def _swedish(x: float) -> str:
    return f"{x}".replace(".", ",")


COLUMN_VALUES = [
    hs.sampled_from(["ENK_FRAMTIDSTRO", "ENK_TRYGG_OMRADE", "N11701", "N00997", "N00309"] * 3 + ["X"]),
    hs.sampled_from(["1287", "0181", "0483"] * 3 + ["Atlantis"]),
    hs.one_of(hs.integers(1990, 2100).map(str), hs.integers(1990, 2100).map(str),
              hs.sampled_from(["1989", "2101", "202²", "20 24", "2024.0"])),
    hs.sampled_from(["T", "K", "M", "Totalt", "pojkar"] * 3 + ["?"]),
    hs.one_of(hs.floats(0, 100).map(lambda x: _swedish(round(x, 1))), hs.integers(0, 100).map(str),
              hs.floats(0, 1).map(lambda x: _swedish(round(x, 2))),
              hs.floats(allow_nan=True, allow_infinity=True).map(_swedish), hs.integers(-200, 200).map(str),
              hs.sampled_from(["1e5", "7_6", "50,5", "1 000,5"])),
    hs.one_of(hs.integers(1, 5000).map(str), hs.integers(1, 5000).map(str), hs.integers(-5, 10**12).map(str),
              hs.just(""), hs.sampled_from(["1 200", "12,0", "12,5", "1e3"])),
]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=hs.lists(hs.tuples(*COLUMN_VALUES), min_size=1, max_size=3))
def test_fuzzed_near_valid_rows_import_only_possible_values(store, tmp_path, rows):
    path = tmp_path / "nara.csv"
    lines = [HEADER] + [";".join(f'"{f}"' if ";" in f else f for f in r) for r in rows]
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    _outcome(store, path)


def test_an_import_beside_an_earlier_hidden_cell_gives_no_warning(store, tmp_path):
    """Found by the fuzz: a hidden cell has no value, and concatenating it gave pandas' FutureWarning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        import_survey(store, write(tmp_path, [HEADER, "ENK_FRAMTIDSTRO;1287;1990;K;50;3"]))
        import_survey(store, write(tmp_path, [HEADER, "ENK_FRAMTIDSTRO;1287;1990;T;0,0;3"]))
    assert cell(store, "ENK_FRAMTIDSTRO", "1287", 1990, "T")[2] == "suppressed"
