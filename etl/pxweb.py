"""SCB PxWeb API v2 client (POST /tables/{id}/data, json-stat2) and a json-stat2 unpacker.

Base URL from ``PXWEB_BASE_URL`` (default https://statistikdatabasen.scb.se/api/v2). Raw responses are
cached on disk like Kolada's; retries and failures follow the same rules (``etl.kolada``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import requests
from tenacity import retry, retry_if_exception, stop_after_attempt

from etl.kolada import (
    ATTEMPTS,
    CACHE_DIR_ENV,
    DEFAULT_CACHE_DIR,
    TIMEOUT_S,
    RetryableError,
    SourceError,
    _wait,
)

DEFAULT_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"
BASE_URL_ENV = "PXWEB_BASE_URL"
DEFAULT_INTERVAL_S = 10 / 30  # SCB: "30 anrop per 10 sekunder"


def unpack_jsonstat2(doc: dict) -> pd.DataFrame:
    """A json-stat2 dataset → one row per cell: a code and a label column per dimension, ``value`` and
    ``status`` (SCB marks suppressed cells ``..`` in ``status`` with a null value)."""
    if doc.get("class") != "dataset" or "id" not in doc or "dimension" not in doc:
        raise SourceError("SCB svarade inte med ett json-stat2-dataset (class/id/dimension saknas)")
    dims = doc["id"]
    cats = []
    for d in dims:
        index = doc["dimension"][d]["category"]["index"]
        codes = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
        labels = doc["dimension"][d]["category"].get("label", {})
        cats.append([(c, labels.get(c, c)) for c in codes])
    sizes = [len(c) for c in cats]
    if sizes != list(doc.get("size", sizes)):
        raise SourceError("json-stat2: size stämmer inte med dimensionerna")
    values = doc.get("value", [])
    if isinstance(values, dict):  # sparse form
        total = 1
        for s in sizes:
            total *= s
        values = [values.get(str(i)) for i in range(total)]
    status = doc.get("status") or {}
    if isinstance(status, list):
        status = {str(i): s for i, s in enumerate(status) if s}
    rows = []
    for i, combo in enumerate(itertools.product(*cats)):  # row-major: the last dimension varies fastest
        row = {}
        for d, (code, label) in zip(dims, combo, strict=True):
            row[d] = code
            row[f"{d}_label"] = label
        row["value"] = values[i] if i < len(values) else None
        row["status"] = status.get(str(i))
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass
class PxWebClient:
    base_url: str = field(default_factory=lambda: os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).rstrip("/"))
    cache_dir: Path = field(default_factory=lambda: Path(os.environ.get(CACHE_DIR_ENV, DEFAULT_CACHE_DIR)))
    refresh: bool = False
    session: requests.Session = field(default_factory=requests.Session)
    stats: dict = field(default_factory=lambda: {"fetched": 0, "cached": 0})
    min_interval_s: float | None = None  # None: from the API's /config (SCB: 30 calls per 10 s)
    _last: float = 0.0

    def _interval(self) -> float:
        """Seconds between calls, from ``GET /config`` (``maxCallsPerTimeWindow`` per ``timeWindow``), read
        once; SCB's published 30 calls per 10 s when /config cannot be read."""
        if self.min_interval_s is None:
            try:
                cfg = self.session.get(f"{self.base_url}/config", timeout=TIMEOUT_S).json()
                self.min_interval_s = float(cfg["timeWindow"]) / float(cfg["maxCallsPerTimeWindow"])
            except (requests.RequestException, ValueError, KeyError, TypeError, ZeroDivisionError):
                self.min_interval_s = DEFAULT_INTERVAL_S
        return self.min_interval_s

    def _throttle(self) -> None:
        delay = self._last + self._interval() - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._last = time.monotonic()

    def table(self, table_id: str, selection: dict[str, list[str]]) -> pd.DataFrame:
        """POST a selection ({variable: [codes]}, wildcards allowed) and return the unpacked cells."""
        url = f"{self.base_url}/tables/{table_id}/data?lang=sv&outputFormat=json-stat2"
        body = {"selection": [{"variableCode": k, "valueCodes": v} for k, v in selection.items()]}
        key = hashlib.sha256((url + json.dumps(body, sort_keys=True)).encode()).hexdigest()[:32]
        path = self.cache_dir / "pxweb" / f"{key}.json"
        if path.exists() and not self.refresh:
            self.stats["cached"] += 1
            return unpack_jsonstat2(json.loads(path.read_text(encoding="utf-8")))
        try:
            doc = self._post(url, body)
        except RetryableError as exc:
            raise SourceError(f"SCB svarade inte korrekt efter {ATTEMPTS} försök ({exc}): {table_id}") from exc
        except requests.RequestException as exc:
            raise SourceError(f"SCB gick inte att nå ({exc.__class__.__name__}): {table_id}") from exc
        frame = unpack_jsonstat2(doc)  # check before caching
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        self.stats["fetched"] += 1
        return frame

    def _post(self, url: str, body: dict) -> dict:
        @retry(stop=stop_after_attempt(ATTEMPTS), wait=_wait, reraise=True,
               retry=retry_if_exception(lambda e: isinstance(e, (RetryableError, requests.Timeout,
                                                                 requests.ConnectionError))))
        def attempt() -> dict:
            self._throttle()
            resp = self.session.post(url, json=body, timeout=TIMEOUT_S)
            if resp.status_code == 429:
                ra = resp.headers.get("Retry-After")
                raise RetryableError("HTTP 429", float(ra) if ra and ra.isdigit() else None)
            if resp.status_code >= 500:
                raise RetryableError(f"HTTP {resp.status_code}")
            if resp.status_code >= 400:
                raise SourceError(f"SCB svarade HTTP {resp.status_code} på {url}")
            try:
                return resp.json()
            except ValueError as exc:
                raise RetryableError("ofullständigt JSON-svar") from exc

        return attempt()
