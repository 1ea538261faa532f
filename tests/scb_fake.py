"""A local stand-in for SCB's PxWeb API v2 (``POST /tables/{id}/data``, json-stat2), serving tables built
from the real SCB DeSO 2025 values in ../shared/geo/deso.

What is real and what is derived, per table (codes as in ../shared/geo/deso/README.md §4):

* TAB6574 population: real DeSO totals (``pop``) and real counts by sex and five-year band (``dist.age``).
* TAB6685 low economic standard: real DeSO shares (``low_econ``).
* TAB6680 employment: the real DeSO rates (``employment``, ``unemp``) turned into counts on the real
  population 20–64 (rates come back within rounding).
* TAB6534 education: the real share (``higher_ed``) turned into counts on the real population 25–64; how
  the counts split between levels 5/6 and 21/3+4 is made up (it does not change the share).
* TAB6571 foreign background: the real share (``foreign``) on the real population.
* TAB6568 households: not in ../shared; every cell is served as SCB's ``..`` (suppressed).

RegSO rows are sums of their DeSO counts (for TAB6685, a population-weighted mean of the shares — SCB
publishes its own RegSO figure; ours is only a stand-in). TAB6574 also carries DeSO 2018-coded rows for
2023 (placeholders: the 2025 counts) so the series break can be tested.
"""

from __future__ import annotations

import fnmatch
import itertools
import json
import re
from collections import defaultdict
from http.server import ThreadingHTTPServer
from pathlib import Path

from tests.fake_http import JsonHandler, serve

AGE_BANDS = [f"{a}-{a + 4}" for a in range(0, 80, 5)] + ["80+"]
KOMMUNER = ("0181", "0483", "1287")


def _deso(geo_dir: Path) -> list[dict]:
    out = []
    for mid in KOMMUNER:
        path = geo_dir / f"{mid}.json"
        if path.exists():
            out += json.loads(path.read_text(encoding="utf-8"))["areas"]
    return out


def _band_sum(area: dict, lo: int, hi: int) -> int:
    """Persons aged lo..hi (five-year bands, both sexes) from the real ``dist.age`` counts."""
    idx = [i for i, b in enumerate(AGE_BANDS[:-1]) if int(b.split("-")[0]) >= lo and int(b.split("-")[1]) <= hi]
    return sum(area["dist"]["age"]["m"][i] + area["dist"]["age"]["f"][i] for i in idx)


def _hist(area: dict, key: str, year: str):
    return (area.get("hist", {}).get(key) or {}).get(year)


class Table:
    """Cells of one table: {(region, *other codes in `dims` order, year): value or None}."""

    def __init__(self, table_id: str, label: str, dims: list[str]):
        self.id, self.label, self.dims = table_id, label, dims
        self.cells: dict[tuple, float | None] = {}
        self.status: dict[tuple, str] = {}

    def add(self, key: tuple, value, status: str | None = None):
        self.cells[key] = value
        if status:
            self.status[key] = status

    def add_regso_sums(self, regso_of: dict[str, str]):
        sums: dict[tuple, float] = defaultdict(float)
        for key, v in list(self.cells.items()):
            region = key[0]
            if region.endswith("_DeSO2025") and v is not None:
                sums[(regso_of[region],) + key[1:]] += v
        self.cells.update(sums)

    def dataset(self, selection: dict[str, list[str]]) -> dict:
        codes = []
        for i, dim in enumerate(self.dims):
            present = list(dict.fromkeys(k[i] for k in self.cells))
            wanted = selection.get(dim, ["*"])
            keep = [c for c in present if any(fnmatch.fnmatchcase(c, w) or
                                              (w.endswith("*") and c.startswith(w[:-1])) for w in wanted)]
            codes.append(sorted(keep) if dim in ("Region", "Tid") else keep)
        values, status = [], {}
        for n, combo in enumerate(itertools.product(*codes)):
            values.append(self.cells.get(combo))
            if combo in self.status:
                status[str(n)] = self.status[combo]
        return {
            "version": "2.0", "class": "dataset", "label": self.label, "source": "SCB",
            "updated": "2025-05-01T06:00:00Z",
            "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
            "id": self.dims, "size": [len(c) for c in codes],
            "dimension": {d: {"label": d, "category": {"index": {c: i for i, c in enumerate(cs)},
                                                       "label": {c: c for c in cs}}}
                          for d, cs in zip(self.dims, codes, strict=True)},
            "value": values, "status": status,
        }


def build_tables(geo_dir: Path) -> dict[str, Table]:
    areas = _deso(geo_dir)
    regso_of = {a["code"]: a["regso"] for a in areas}
    t = {}

    pop = t["TAB6574"] = Table("TAB6574", "Folkmängden per region efter ålder och kön. År 2010–2025",
                               ["Region", "Alder", "Kon", "ContentsCode", "Tid"])
    for a in areas:
        m, f = a["dist"]["age"]["m"], a["dist"]["age"]["f"]
        old = a["code"].replace("_DeSO2025", "_DeSO2018")
        for code, year in ((a["code"], "2025"), (old, "2023")):
            pop.add((code, "totalt", "1+2", "000007Y7", year), a["pop"])
            pop.add((code, "totalt", "1", "000007Y7", year), sum(m))
            pop.add((code, "totalt", "2", "000007Y7", year), sum(f))
            for i, band in enumerate(AGE_BANDS):
                pop.add((code, band, "1", "000007Y7", year), m[i])
                pop.add((code, band, "2", "000007Y7", year), f[i])
                pop.add((code, band, "1+2", "000007Y7", year), m[i] + f[i])
    pop.add_regso_sums(regso_of)

    low = t["TAB6685"] = Table("TAB6685", "Andel personer med låg ekonomisk standard efter region och ålder",
                               ["Region", "Alder", "ContentsCode", "Tid"])
    weighted: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for a in areas:
        v = _hist(a, "low_econ", "2024")
        low.add((a["code"], "tot", "000008AC", "2024"), v, None if v is not None else "..")
        if v is not None:
            weighted[a["regso"]][0] += v * a["pop"]
            weighted[a["regso"]][1] += a["pop"]
    for regso, (wv, w) in weighted.items():
        low.add((regso, "tot", "000008AC", "2024"), round(wv / w, 1))

    emp = t["TAB6680"] = Table("TAB6680", "Befolkningen 16-74 år efter region, sysselsättning, kön och ålder",
                               ["Region", "Kon", "Alder", "ContentsCode", "Tid"])
    for a in areas:
        y = _band_sum(a, 20, 64)
        x = round(a["hist"]["employment"]["2024"] * y / 100)
        v = round(x / (1 - a["hist"]["unemp"]["2024"] / 100))
        for code, val in (("0000089Y", y), ("0000089X", x), ("0000089V", v), ("0000089W", v - x)):
            emp.add((a["code"], "1+2", "20-64", code, "2024"), val)
    emp.add_regso_sums(regso_of)

    edu = t["TAB6534"] = Table("TAB6534", "Befolkning 25-65 år efter region och utbildningsnivå",
                               ["Region", "UtbildningsNiva", "ContentsCode", "Tid"])
    for a in areas:
        known = _band_sum(a, 25, 64)
        for year in ("2024", "2025"):
            share = _hist(a, "higher_ed", year)
            if share is None:
                continue
            high = round(share * known / 100)
            low_ = known - high
            for level, val in (("5", high // 2), ("6", high - high // 2), ("21", low_ // 3),
                               ("3+4", low_ - low_ // 3), ("US", 0)):
                edu.add((a["code"], level, "000007Z6", year), val)
    edu.add_regso_sums(regso_of)

    bg = t["TAB6571"] = Table("TAB6571", "Folkmängden efter region, utländsk/svensk bakgrund och kön",
                              ["Region", "UtlBakgrund", "Kon", "ContentsCode", "Tid"])
    for a in areas:
        for year in ("2024", "2025"):
            share = _hist(a, "foreign", year)
            if share is None:
                continue
            one = round(share * a["pop"] / 100)
            for code, val in (("1", one), ("2", a["pop"] - one), ("SA", a["pop"])):
                bg.add((a["code"], code, "1+2", "000007Y4", year), val)
    bg.add_regso_sums(regso_of)

    hh = t["TAB6568"] = Table("TAB6568", "Antal hushåll efter region och hushållstyp",
                              ["Region", "Hushallstyp", "ContentsCode", "Tid"])
    for a in areas:
        for typ in ("ESUB", "ESMB", "TOTALT"):
            hh.add((a["code"], typ, "000007Y1", "2024"), None, "..")
    return t


class FakeScb:
    """Serves the tables on 127.0.0.1; ``fail(table, status, times)`` makes the next calls fail."""

    def __init__(self, geo_dir: Path):
        self.tables = build_tables(geo_dir)
        self.failures: dict[str, list[int]] = {}
        self.requests: list[tuple[str, dict]] = []
        self.calls_per_window = 10_000  # generous, so tests are not slowed; the client reads it
        self.server: ThreadingHTTPServer | None = None

    def fail(self, table: str, status: int, times: int) -> None:
        self.failures[table] = [status] * times

    def start(self) -> str:
        fake = self

        class Handler(JsonHandler):
            def do_GET(self):
                if self.path.rstrip("/").endswith("/config"):  # PxWeb v2 /config: the limits
                    self.send_json(200, json.dumps({"apiVersion": "2.0.0", "maxDataCells": 150000,
                                                "maxCallsPerTimeWindow": fake.calls_per_window,
                                                "timeWindow": 10}).encode())
                else:
                    self.send_json(404, b'{"error": "not found"}')

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                m = re.match(r"^/api/v2/tables/(\w+)/data", self.path)
                table = m.group(1) if m else ""
                fake.requests.append((table, body))
                if fake.failures.get(table):
                    status = fake.failures[table].pop(0)
                    self.send_json(status, b'{"error": "server error"}')
                    return
                if table not in fake.tables:
                    self.send_json(404, b'{"error": "table not found"}')
                    return
                selection = {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
                self.send_json(200, json.dumps(fake.tables[table].dataset(selection)).encode())

        self.server = serve(Handler)
        return f"http://127.0.0.1:{self.server.server_port}/api/v2"

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
