"""Issue #16: a new municipality's strategy file is checked with Swedish messages that name the file and
the line, and suggest the likely fix; `python -m etl check-catalogue FILE` checks a file before it is added."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from etl.__main__ import main
from etl.catalogue import CATALOGUE_DIR, CatalogueError, load_catalogue
from etl.catalogue_messages import line_index

TEMPLATE = CATALOGUE_DIR / "strategies" / "trelleborg.yaml"


def _new_strategy(tmp_path: Path, edit) -> Path:
    """Trelleborg's file as a fourth municipality (Ystad) would start from it, with ``edit`` applied."""
    text = TEMPLATE.read_text(encoding="utf-8")
    text = text.replace("id: trelleborg\nmunicipality_id: '1287'", "id: ystad\nmunicipality_id: '1286'", 1)
    path = tmp_path / "ystad.yaml"
    path.write_text(edit(text), encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def _problems(path: Path) -> list[str]:
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(extra_strategies=(path,))
    return [line.strip() for line in str(exc.value).splitlines()[1:]]


def test_a_valid_new_strategy_passes(tmp_path, capsys):
    path = _new_strategy(tmp_path, lambda t: t)
    assert main(["check-catalogue", str(path)]) == 0
    assert "Katalogen är i ordning: 4 strategier" in capsys.readouterr().out


def test_schema_mistakes_get_swedish_messages_with_lines_and_suggestions(tmp_path):
    def edit(text: str) -> str:
        text = text.replace("municipality_id: '1286'", "municipality_id: 1286", 1)
        text = text.replace("county_id: '0012'", "county_id: '12'", 1)
        text = text.replace("    kind: fokusområde\n", "    kind: fokusomrade\n", 1)
        text = text.replace("        origin: 'Utvecklingsområde Föräldrastöd", "        orgin: 'Utvecklingsområde Föräldrastöd", 1)
        return text.replace("baseline_year: 2023\n", "", 1)

    path = _new_strategy(tmp_path, edit)
    got = _problems(path)
    assert f"ystad.yaml:{_line(path, 'municipality_id: 1286')}: municipality_id: 1286 ska vara text – skriv den " \
           "inom citattecken" in " ".join(got)
    assert any(p.startswith(f"ystad.yaml:{_line(path, 'county_id:')}: county_id: '12' har fel form: skriv länets "
                            "kod med 00 före") for p in got), got
    assert any(p.startswith(f"ystad.yaml:{_line(path, 'kind: fokusomrade')}: focus_areas/0/kind: 'fokusomrade' "
                            "är inte tillåtet") and p.endswith("(menade du fokusområde?)") for p in got), got
    assert f"ystad.yaml:{_line(path, 'orgin:')}: focus_areas/0/goals/0/orgin: okänt fält orgin (menade du origin?)" in got
    assert "ystad.yaml:1: (filens början): fältet baseline_year saknas" in got
    assert not any(re.search(r"is not|is a required|was unexpected|does not match", p) for p in got), got


def test_unknown_references_name_the_line_and_the_likely_id(tmp_path):
    def edit(text: str) -> str:
        text = text.replace("comparison_groups: [G176425]", "comparison_groups: [G176452]", 1)
        return text.replace("          - id: ENK_VUXENKONTAKT\n", "          - id: ENK_VUXENKONTAKTT\n", 1)

    path = _new_strategy(tmp_path, edit)
    got = _problems(path)
    assert got == [
        f"ystad.yaml:{_line(path, 'G176452')}: jämförelsegruppen G176452 finns inte i areas.yaml (menade du G176425?)",
        f"ystad.yaml:{_line(path, 'ENK_VUXENKONTAKTT')}: mål 1.1: indikatorn ENK_VUXENKONTAKTT finns inte i "
        "indicators.yaml (menade du ENK_VUXENKONTAKT?)"]


def test_broken_yaml_and_markup_are_reported_with_their_lines(tmp_path, capsys):
    path = _new_strategy(tmp_path, lambda t: t.replace("title: 'Stöd och relationer genom livet'",
                                                       "title: Stöd: och relationer", 1))
    assert main(["check-catalogue", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"ystad.yaml:{_line(path, 'Stöd: och relationer')}: ogiltig YAML: ett kolon på fel ställe" in err
    assert "databasen" not in err  # a check touches no store
    path = _new_strategy(tmp_path, lambda t: t.replace("title: 'Stöd och relationer genom livet'",
                                                       "title: 'Stöd <b>och</b> relationer'", 1))
    got = _problems(path)
    assert got[0].startswith(f"ystad.yaml:{_line(path, '<b>och</b>')}: focus_areas/0/title: texten innehåller tecken "
                             "för HTML eller markdown")
    assert main(["check-catalogue", str(tmp_path / "saknas.yaml")]) == 2


def test_every_key_and_item_of_a_yaml_text_has_its_line():
    text = "a: 1\nb:\n  - x: 2\n    y: 3\n  - x: 4\n"
    lines = line_index(text)
    assert lines[("a",)] == 1 and lines[("b",)] == 2 and lines[("b", 0)] == 3
    assert lines[("b", 0, "y")] == 4 and lines[("b", 1, "x")] == 5
    assert yaml.safe_load(text)["b"][1]["x"] == 4


def test_titles_never_get_a_double_dot():
    from services.catalogue import focus_area_title

    assert focus_area_title("ÖM.1.", "Jämlik hälsa", "fokusområde") == "ÖM.1. Jämlik hälsa"
    assert focus_area_title("3", "Trygghet", "målområde") == "3. Trygghet"
    assert focus_area_title("ÖM", "Jämlik hälsa", "övergripande hållbarhetsmål") == "Jämlik hälsa"


# --- Kolada ids, titles and gender splits against the project's copy of Kolada's KPI list -------------

def _kpi_list(tmp_path: Path, change=None) -> Path:
    """A KPI list made from the catalogue's own Kolada indicators (as Kolada would list them), changed."""
    from etl import kolada_kpis

    cat = load_catalogue()
    records = [{"id": i["source_id"], "title": i["title"], "is_divided_by_gender": i["gender_split"]}
               for i in cat.indicators if i["source"] == "kolada"]
    records.append({"id": "N99999", "title": "Någon annan KPI", "is_divided_by_gender": False})
    if change:
        records = change(records)
    path = tmp_path / "kpis.csv"
    kolada_kpis.write(records, path, fetched_at="test")
    return path


def test_the_catalogue_is_checked_against_the_kpi_list(tmp_path, capsys):
    path = _kpi_list(tmp_path)
    assert main(["check-catalogue", "--kpi-lista", str(path)]) == 0
    assert "Kolada-indikatorer stämmer med Koladas KPI-lista" in capsys.readouterr().out


def test_a_wrong_title_gender_split_or_id_is_named_with_its_line(tmp_path, capsys):
    cat = load_catalogue()
    first, second, third = [i for i in cat.indicators if i["source"] == "kolada"][:3]

    def change(records):
        out = []
        for r in records:
            if r["id"] == first["source_id"]:
                r = {**r, "title": r["title"] + ", andel (%)"}
            elif r["id"] == second["source_id"]:
                r = {**r, "is_divided_by_gender": not r["is_divided_by_gender"]}
            elif r["id"] == third["source_id"]:
                r = {**r, "id": r["id"] + "0"}  # Kolada knows it under another id
            out.append(r)
        return out

    path = _kpi_list(tmp_path, change)
    assert main(["check-catalogue", "--kpi-lista", str(path)]) == 2
    err = capsys.readouterr().err
    ind_file = CATALOGUE_DIR / "indicators.yaml"
    assert f"indicators.yaml:{_line_after(ind_file, first['id'], 'title:')}: {first['id']}: titeln ska vara " \
           f"Koladas, ordagrant: \"{first['title']}, andel (%)\"" in err
    assert f"{second['id']}: gender_split ska vara {'false' if second['gender_split'] else 'true'}" in err
    assert f"{third['id']}: Kolada har ingen KPI {third['source_id']} (titeln hör till {third['source_id']}0)" in err


def _line_after(path: Path, ind_id: str, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {ind_id}")
    return next(i for i, line in enumerate(lines[start:], start=start + 1) if line.strip().startswith(key))


def test_the_real_kpi_list_agrees_with_the_catalogue(tmp_path, capsys):
    from tests.conftest import shared_path

    snapshot = shared_path("kolada", "kpi_catalog_v3_2026-03.csv")  # skips with its reason without ../shared
    out = tmp_path / "kolada_kpis.csv"
    assert main(["kolada-kpis", "--fran", str(snapshot), "--ut", str(out)]) == 0
    assert main(["check-catalogue", "--kpi-lista", str(out)]) == 0
    assert "6099 KPI:er" in capsys.readouterr().out


def test_the_kpi_list_is_fetched_from_kolada(fake, tmp_path, capsys):
    from etl import kolada_kpis

    out = tmp_path / "kolada_kpis.csv"
    assert main(["kolada-kpis", "--ut", str(out)]) == 0
    got = kolada_kpis.read(out)
    assert set(got) == set(fake.kpis) and len(got) > fake.page_size // 10
    one = next(iter(fake.kpis.values()))
    assert got[one["id"]].title == one["title"] and got[one["id"]].gender_split == one["is_divided_by_gender"]
    assert "KPI:er i" in capsys.readouterr().out


def test_demo_refuses_a_catalogue_that_disagrees_with_the_kept_kpi_list(tmp_path, monkeypatch, capsys):
    from etl import kolada_kpis

    wrong = _kpi_list(tmp_path, lambda rs: [{**r, "title": r["title"] + "!"} for r in rs])
    monkeypatch.setattr(kolada_kpis, "KPI_LIST", wrong)
    target = tmp_path / "store.sqlite"
    assert main(["--store", str(target), "demo", "--quiet"]) == 2
    assert "titeln ska vara Koladas" in capsys.readouterr().err
    assert not target.exists()
