"""Issue #15: the action plan's follow-up. The template imports (CSV as Swedish Excel saves it, and XLSX);
every bad row is refused with its line number in Swedish and the store stays byte for byte as it was; a
new follow-up of the same action and year replaces the old one, other years stay; the focus page shows
each action's status, who answers for it and the area's summary."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from etl.actions_import import import_actions
from etl.survey_import import ImportError_

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "data" / "templates" / "atgarder_mall.csv"
HEADER = "kommun;malomrade;atgard;ar;status;ansvarig;kommentar"


@pytest.fixture
def store(demo_store, tmp_path):
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    return target


def write(tmp_path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "atgarder.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def rows(store: Path) -> list[tuple]:
    with sqlite3.connect(store) as con:
        return con.execute("SELECT focus_area_id, action_code, year, status, responsible, comment "
                           "FROM action_status ORDER BY 1, 2, 3").fetchall()


def test_the_template_imports(store):
    result = import_actions(store, TEMPLATE)
    assert result.rows == 2 and result.municipalities == ["sodertalje"]
    assert rows(store) == [
        ("sodertalje.sod_6", "1", 2025, "pågår", "Exempel: Kultur- och fritidsnämnden",
         "Exempelrad – ersätt med er egen uppföljning"),
        ("sodertalje.sod_6", "2", 2025, "ej påbörjad", "Exempel: Kommunstyrelsen",
         "Exempelrad – ersätt med er egen uppföljning")]


def test_windows_1252_words_as_people_write_them_and_a_later_year(store, tmp_path):
    path = write(tmp_path, [HEADER, "181;6;3;2024;Pågår;  Socialnämnden ;", "0181;6;3;2025;Klar;Socialnämnden;Klart i maj"],
                 encoding="cp1252")
    import_actions(store, path)
    assert [r[2:5] for r in rows(store)] == [(2024, "pågår", "Socialnämnden"), (2025, "genomförd", "Socialnämnden")]


def test_xlsx_imports_with_excel_row_numbers_in_messages(store, tmp_path):
    path = tmp_path / "atgarder.xlsx"
    pd.DataFrame([["0181", "6", "1", "2025", "pågår", "Kultur- och fritidsnämnden", ""],
                  ["0181", "6", "99", "2025", "pågår", "Kultur- och fritidsnämnden", ""]],
                 columns=HEADER.split(";")).to_excel(path, index=False)
    before = store.read_bytes()
    with pytest.raises(ImportError_) as exc:
        import_actions(store, path)
    assert "Rad 3: åtgärden ”99” finns inte i målområde 6." in exc.value.errors
    assert store.read_bytes() == before
    pd.read_excel(path).iloc[:1].to_excel(path, index=False)
    assert import_actions(store, path).file_kind == "Excel (xlsx)"
    assert rows(store)[0][:4] == ("sodertalje.sod_6", "1", 2025, "pågår")


@pytest.mark.parametrize("line,message", [
    ("9999;6;1;2025;pågår;Nämnd;", "kommunen ”9999” har ingen strategi i databasen"),
    ("0181;9;1;2025;pågår;Nämnd;", "målområdet ”9” finns inte i kommunens strategi"),
    ("0181;6;42;2025;pågår;Nämnd;", "åtgärden ”42” finns inte i målområde 6"),
    ("0181;6;1;25;pågår;Nämnd;", "året ”25” är inte ett år mellan 1990 och 2100"),
    ("0181;6;1;2025;nästan klar;Nämnd;", "statusen ”nästan klar” ska vara ej påbörjad, pågår, genomförd eller avbruten"),
    ("0181;6;1;2025;pågår;;", "ansvarig nämnd eller bolag saknas"),
    ("0181;6;1;2025;pågår;Nämnd;" + "x" * 2001, "kommentar är längre än 2000 tecken"),
])
def test_bad_rows_are_refused_with_line_numbers_and_nothing_changes(store, tmp_path, line, message):
    path = write(tmp_path, [HEADER, "0181;6;2;2025;pågår;Kommunstyrelsen;", line])
    before = store.read_bytes()
    with pytest.raises(ImportError_) as exc:
        import_actions(store, path)
    assert f"Rad 3: {message}." in exc.value.errors, exc.value.errors
    assert exc.value.errors[0].startswith("Inget importerades")
    assert store.read_bytes() == before


def test_the_same_action_and_year_twice_in_one_file_is_refused(store, tmp_path):
    path = write(tmp_path, [HEADER, "0181;6;1;2025;pågår;A;", "0181;6;1;2025;genomförd;A;"])
    with pytest.raises(ImportError_) as exc:
        import_actions(store, path)
    assert "Raderna 2, 3 gäller samma åtgärd och år (sod_6, åtgärd 1, 2025)." in exc.value.errors


def test_a_new_follow_up_replaces_the_same_year_and_keeps_the_others(store, tmp_path):
    import_actions(store, write(tmp_path, [HEADER, "0181;6;1;2024;ej påbörjad;A;", "0181;6;1;2025;pågår;A;"]))
    result = import_actions(store, write(tmp_path, [HEADER, "0181;6;1;2025;genomförd;B;Klar"]))
    assert result.replaced == 1
    assert [r[2:5] for r in rows(store)] == [(2024, "ej påbörjad", "A"), (2025, "genomförd", "B")]


@pytest.mark.slow
def test_the_command_refuses_in_swedish_and_leaves_the_store(store, tmp_path):
    path = write(tmp_path, [HEADER, "0181;6;1;2025;kanske;A;"])
    before = store.read_bytes()
    out = subprocess.run([sys.executable, "-m", "etl", "--store", str(store), "import-actions", str(path)],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 4
    assert "Rad 2: statusen ”kanske”" in out.stderr and "Databasen är orörd." in out.stderr
    assert store.read_bytes() == before
    ok = subprocess.run([sys.executable, "-m", "etl", "--store", str(store), "import-actions", str(TEMPLATE)],
                        cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and "Importerade 2 uppföljningar" in ok.stdout


def test_the_focus_page_shows_statuses_and_the_summary(store, monkeypatch):
    """The strategist's view: the area's summary, each action's latest status and who answers for it, and
    every year inside."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from services.store import clear_caches

    import_actions(store, TEMPLATE)
    monkeypatch.setenv("INDICATOR_STORE", str(store))
    clear_caches()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["kommun"] = "0181"
    at.run()
    at._page_hash = calc_hash("6-ett-tryggt-sodertalje")  # noqa: SLF001 - AppTest has no switch by url_path
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "**1 av 6 åtgärder** i målområdet pågår eller är genomförda (senaste uppföljning 2025)." in text
    labels = [e.label for e in at.expander]
    assert any(lbl.startswith("1. ") and lbl.endswith("— pågår (2025, Exempel: Kultur- och fritidsnämnden)")
               for lbl in labels), labels
    assert any(lbl.startswith("3. ") and "—" not in lbl for lbl in labels), "no follow-up, no status"
    clear_caches()
    st.cache_data.clear()


def test_a_store_without_the_follow_up_table_is_refused_in_swedish(store):
    with sqlite3.connect(store) as con:
        con.execute("DROP TABLE action_status")
    with pytest.raises(ImportError_, match="saknar tabeller \\(action_status\\)"):
        import_actions(store, TEMPLATE)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_column_twice_is_refused_in_csv_and_excel_alike(store, tmp_path, suffix):
    """Issue #29: the Excel reader imported a duplicated column from its second copy while CSV refused it;
    now one header rule refuses both, and nothing changes."""
    header = HEADER.split(";") + ["status"]
    row = ["0181", "6", "1", "2025", "pågår", "Nämnd", "", "genomförd"]
    if suffix == "csv":
        path = write(tmp_path, [";".join(header), ";".join(row)])
    else:
        from openpyxl import Workbook

        path, book = tmp_path / "atgarder.xlsx", Workbook()
        book.active.append(header)
        book.active.append(row)
        book.save(path)
    before = store.read_bytes()
    with pytest.raises(ImportError_) as exc:
        import_actions(store, path)
    assert exc.value.errors == ["Kolumnen ”status” finns flera gånger i rubrikraden."]
    assert store.read_bytes() == before
