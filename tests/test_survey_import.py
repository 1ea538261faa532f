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
