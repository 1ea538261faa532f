"""Kolada API v3 client: paging, chunking, throttling, retries, and an on-disk cache of every raw response.

Base URL from ``KOLADA_BASE_URL`` (default https://api.kolada.se/v3). Raw responses are kept under the
cache directory, so a rebuild needs no network; ``refresh=True`` fetches again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import requests
from tenacity import (
    RetryCallState,
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
BASE_URL_ENV = "KOLADA_BASE_URL"
CACHE_DIR_ENV = "ETL_CACHE_DIR"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent / "data" / "cache"
# Kolada accepts about 25 ids per path segment; longer URLs get HTTP 400.
MAX_IDS_PER_SEGMENT = 25
# Clients of Kolada throttle themselves to about 5 requests a second.
MIN_INTERVAL_S = 0.2
PER_PAGE = 5000  # Kolada's maximum and default
TIMEOUT_S = 30
ATTEMPTS = 3  # the first try and two retries; a source still failing after that is reported


class SourceError(RuntimeError):
    """A source that failed after its retries; the message names it, in Swedish."""


class RetryableError(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, RetryableError) and exc.retry_after is not None:
        return min(exc.retry_after, 60.0)  # honour Retry-After, within reason
    return wait_exponential(multiplier=0.5, max=20)(state)


FETCHED_AT_KEY = "_hamtad"  # in every cached answer: when it was fetched from Kolada


def chunks(ids: Iterable[str], size: int = MAX_IDS_PER_SEGMENT) -> Iterator[list[str]]:
    items = list(ids)
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class KoladaClient:
    base_url: str = field(default_factory=lambda: os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).rstrip("/"))
    cache_dir: Path = field(default_factory=lambda: Path(os.environ.get(CACHE_DIR_ENV, DEFAULT_CACHE_DIR)))
    refresh: bool = False
    min_interval_s: float = MIN_INTERVAL_S
    session: requests.Session = field(default_factory=requests.Session)
    stats: dict = field(default_factory=lambda: {"fetched": 0, "cached": 0, "retries": 0})
    # When an answer was fetched from Kolada (ISO 8601, UTC); tests set their own clock.
    clock: Callable[[], str] = field(default=lambda: datetime.now(UTC).replace(microsecond=0).isoformat())
    fetch_time: dict = field(default_factory=dict)  # url → the time its (cached) answer was fetched
    _last: float = 0.0

    # -- HTTP ---------------------------------------------------------------------------------
    def _cache_path(self, url: str) -> Path:
        digest = hashlib.sha256(url.encode()).hexdigest()[:32]
        return self.cache_dir / "kolada" / f"{digest}.json"

    def _throttle(self) -> None:
        delay = self._last + self.min_interval_s - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._last = time.monotonic()

    def get_json(self, url: str, fresh: bool = False) -> dict:
        """One response, from the cache when present (and not refreshing), else from the API."""
        path = self._cache_path(url)
        if path.exists() and not (self.refresh or fresh):
            self.stats["cached"] += 1
            doc = json.loads(path.read_text(encoding="utf-8"))
            # The original fetch time travels with the cached answer; an answer cached before that rule
            # falls back to the file's modification time, the closest record there is.
            self.fetch_time[url] = doc.get(FETCHED_AT_KEY) or datetime.fromtimestamp(
                path.stat().st_mtime, UTC).replace(microsecond=0).isoformat()
            return doc
        try:
            doc = self._fetch(url)
        except RetryableError as exc:
            raise SourceError(f"Kolada svarade inte korrekt efter {ATTEMPTS} försök ({exc}): {url}") from exc
        except requests.RequestException as exc:
            raise SourceError(f"Kolada gick inte att nå ({exc.__class__.__name__}): {url}") from exc
        self._store(url, doc, self.clock())
        self.stats["fetched"] += 1
        return doc

    def _store(self, url: str, doc: dict, fetched_at: str) -> None:
        path = self._cache_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        doc[FETCHED_AT_KEY] = fetched_at
        self.fetch_time[url] = fetched_at
        tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # a cached response is complete or absent

    def _fetch(self, url: str) -> dict:
        @retry(stop=stop_after_attempt(ATTEMPTS), wait=_wait, reraise=True,
               retry=retry_if_exception(lambda e: isinstance(e, (RetryableError, requests.Timeout,
                                                                 requests.ConnectionError))),
               before_sleep=lambda s: self._count_retry(s))
        def attempt() -> dict:
            self._throttle()
            resp = self.session.get(url, timeout=TIMEOUT_S)
            if resp.status_code == 429:
                ra = resp.headers.get("Retry-After")
                raise RetryableError("HTTP 429", float(ra) if ra and ra.replace(".", "", 1).isdigit() else None)
            if resp.status_code >= 500:
                raise RetryableError(f"HTTP {resp.status_code}")
            if resp.status_code >= 400:
                raise SourceError(f"Kolada svarade HTTP {resp.status_code} på {url}")
            try:
                doc = resp.json()
            except ValueError as exc:  # truncated or not JSON
                raise RetryableError("ofullständigt JSON-svar") from exc
            if not isinstance(doc, dict) or "values" not in doc:
                raise SourceError(f"Kolada svarade med ett oväntat format (fältet 'values' saknas): {url}")
            return doc

        return attempt()

    def _count_retry(self, state: RetryCallState) -> None:
        self.stats["retries"] += 1
        log.warning("Kolada: försök %s misslyckades (%s); försöker igen", state.attempt_number,
                    state.outcome.exception() if state.outcome else "")

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

    def municipalities(self) -> list[dict]:
        return list(self.paged("municipality"))

    def municipality_groups(self) -> list[dict]:
        return list(self.paged("municipality_groups"))

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
                if (since or update) and self._cache_path(self._url(path)).exists() and not self.refresh:
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
        self._store(self._url(path), {"values": list(items.values()), "count": len(items), "next_url": "",
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
