"""Kolada API v3 client: paging, chunking, throttling, retries, and an on-disk cache of every raw response.

Base URL from ``KOLADA_BASE_URL`` (default https://api.kolada.se/v3). Raw responses are kept under the
cache directory, so a rebuild needs no network; ``refresh=True`` fetches again.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from etl.sources.http import (  # noqa: F401 - SourceError and FETCHED_AT_KEY are this module's API too
    ATTEMPTS,
    CACHE_DIR_ENV,
    DEFAULT_CACHE_DIR,
    FETCHED_AT_KEY,
    HttpSource,
    SourceError,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
BASE_URL_ENV = "KOLADA_BASE_URL"
# Kolada accepts about 25 ids per path segment; longer URLs get HTTP 400.
MAX_IDS_PER_SEGMENT = 25
# Clients of Kolada throttle themselves to about 5 requests a second.
MIN_INTERVAL_S = 0.2
PER_PAGE = 5000  # Kolada's maximum and default


def chunks(ids: Iterable[str], size: int = MAX_IDS_PER_SEGMENT) -> Iterator[list[str]]:
    items = list(ids)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _has_values(doc: dict) -> None:
    if "values" not in doc:
        raise SourceError("Kolada svarade med ett oväntat format (fältet 'values' saknas)")


@dataclass
class KoladaClient(HttpSource):
    """Kolada API v3 on the shared HTTP source base (cache with fetch times, throttle, retries)."""

    name = "Kolada"
    cache_subdir = "kolada"

    base_url: str = field(default_factory=lambda: os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).rstrip("/"))
    cache_dir: Path = field(default_factory=lambda: Path(os.environ.get(CACHE_DIR_ENV, DEFAULT_CACHE_DIR)))
    min_interval_s: float | None = MIN_INTERVAL_S

    def get_json(self, url: str, fresh: bool = False) -> dict:
        """One response, from the cache when present (and not refreshing), else from the API."""
        return self.fetch(url, url, check=_has_values, fresh=fresh)

    def _url(self, path: str, params: dict | None = None) -> str:
        query = dict(params or {})
        query.setdefault("per_page", PER_PAGE)
        return f"{self.base_url}/{path.lstrip('/')}?{urlencode(query)}"

    def paged(self, path: str, params: dict | None = None, fresh: bool = False) -> Iterator[dict]:
        """Every value of a listing, following ``next_url`` (v3) or ``next_page`` (v2) to the end."""
        for item, _when in self.paged_timed(path, params, fresh):
            yield item

    def paged_timed(self, path: str, params: dict | None = None, fresh: bool = False) -> Iterator[tuple[dict, str]]:
        """Like ``paged``, with the time each value's page was fetched from Kolada."""
        url = self._url(path, params)
        seen = set()
        while url and url not in seen:
            seen.add(url)
            doc = self.get_json(url, fresh=fresh)
            when = self.fetch_time.get(url) or self.clock()
            for item in doc.get("values", []):
                yield item, when
            url = doc.get("next_url") or doc.get("next_page") or None

    # -- Entities -----------------------------------------------------------------------------
    def kpis(self, ids: Iterable[str]) -> list[dict]:
        out = []
        for part in chunks(ids):
            out += list(self.paged(f"kpi/{','.join(part)}"))
        return out

    def all_kpis(self, fresh: bool = False) -> list[dict]:
        """Kolada's whole KPI list (/v3/kpi, paged), each record with the time its page was fetched (hamtad)."""
        return [{**item, "hamtad": when} for item, when in self.paged_timed("kpi", fresh=fresh)]

    def values(self, kpis: Iterable[str], municipalities: Iterable[str], years: Iterable[int],
               since: str | None = None, update: bool = False) -> list[dict]:
        """Flat rows (kpi, municipality, period, gender, value, count, status, isdeleted, fetched_at).

        With ``update`` a path already in the cache is brought up to date with Kolada's ``from_date``:
        only rows changed since *that cached answer was fetched* (or since ``since``, if earlier) are
        fetched and laid over the cached ones (a changed value replaces the old, ``isdeleted`` marks it
        gone), and the merged result, stamped with the update's time, becomes the cached state of that
        path. ``since`` alone (YYYY-MM-DD) does the same with one date for every path. Paths not yet in
        the cache are fetched whole.
        """
        rows = []
        year_part = ",".join(str(y) for y in years)
        for kpi_part in chunks(kpis):
            for mun_part in chunks(municipalities):
                path = f"data/kpi/{','.join(kpi_part)}/municipality/{','.join(mun_part)}/year/{year_part}"
                if (since or update) and self.cache_path(self._url(path)).exists() and not self.refresh:
                    rows += self._update(path, since, update)
                else:
                    rows += _flat(self.paged_timed(path))
        return rows

    def _update(self, path: str, since: str | None, own_time: bool) -> list[dict]:
        merged = {_key(r): r for r in _flat(self.paged_timed(path))}
        if own_time:
            cached = self.fetch_time[self._url(path)][:10]
            since = min(since, cached) if since else cached
        changed = _flat(self.paged_timed(path, {"from_date": since}, fresh=True))
        merged.update({_key(r): r for r in changed})
        self.stats["updated"] = self.stats.get("updated", 0) + len(changed)
        items: dict[str, dict] = {}
        for r in merged.values():
            item = items.setdefault(r["kpi"] + "|" + r["municipality"] + "|" + str(r["period"]), {
                "kpi": r["kpi"], "municipality": r["municipality"], "period": r["period"], "values": []})
            item["values"].append({k: r[k] for k in ("gender", "value", "count", "status", "isdeleted")})
        now = self.clock()
        self.write_cache(self._url(path), {"values": list(items.values()), "count": len(items), "next_url": "",
                                      "note": f"sammanfogat: cachat svar + ändringar sedan {since}"}, now)
        if since not in self.stats.setdefault("since", []):
            self.stats["since"].append(since)
        return [{**r, "fetched_at": now} for r in merged.values()]


def _key(r: dict) -> tuple:
    return r["kpi"], r["municipality"], r["period"], r["gender"]


def _flat(items: Iterable[tuple[dict, str]]) -> list[dict]:
    rows = []
    for item, when in items:
        for v in item.get("values", []):
            rows.append({"kpi": item["kpi"], "municipality": item["municipality"], "period": item["period"],
                         "gender": v.get("gender"), "value": v.get("value"), "count": v.get("count"),
                         "status": v.get("status"), "isdeleted": v.get("isdeleted", False),
                         "fetched_at": when})
    return rows


def kpi_to_indicator(kpi: dict) -> dict:
    """Catalogue-shaped indicator from a Kolada /kpi record (for KPIs the catalogue does not list)."""
    from etl.kolada_values import kpi_indicator

    return kpi_indicator(kpi["id"], kpi["title"], kpi.get("description"),
                         bool(kpi.get("is_divided_by_gender")))


def parse_years(text: str) -> list[int]:
    """'2022-2026' or '2020,2022' → years."""
    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-", 1)
            years += list(range(int(a), int(b) + 1))
        elif part:
            years.append(int(part))
    if not years:
        raise ValueError("inga år angivna")
    return years


def load_from_api(target: Path, kpis: list[str], municipalities: list[str], years: list[int],
                  client: KoladaClient | None = None) -> dict:
    """Fetch KPIs (metadata from /kpi) and their values and upsert them into the store at ``target``.

    Any source failure raises SourceError before the store is touched.
    """
    from etl.catalogue import load_catalogue
    from etl.kolada_values import attach_uncertainty, load_observations, rows_to_observations
    from etl.writer import now_iso

    client = client or KoladaClient()
    meta = {k["id"]: k for k in client.kpis(kpis)}
    unknown = sorted(set(kpis) - set(meta))
    if unknown:
        raise SourceError(f"Kolada känner inte till KPI: {', '.join(unknown)}")
    fetched_at = now_iso()
    # A catalogue KPI with Kolada's "Osäkerhetstal" gets its interval here too (see attach_uncertainty).
    uncertainty_of = {i["source_id"]: i["uncertainty_kpi"] for i in load_catalogue().indicators
                      if i.get("uncertainty_kpi") and i["source_id"] in set(kpis)}
    rows = client.values([*kpis, *uncertainty_of.values()], municipalities, years)
    obs = attach_uncertainty(rows_to_observations(rows), uncertainty_of)
    obs = obs[obs["gender"].isin(["T", "K", "M"])]
    what = f"KPI {','.join(kpis)}; kommun {','.join(municipalities)}; år {years[0]}–{years[-1]}"
    result = load_observations(target, obs, {k: kpi_to_indicator(v) for k, v in meta.items()},
                               source="Kolada (RKA), API v3", what=what, fetched_at=fetched_at,
                               command=f"python -m etl kolada ({what})")
    result.update(client.stats)
    return result
