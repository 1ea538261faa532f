"""One HTTP source base for every API the ETL reads (Kolada, SCB PxWeb, and the next one).

What every source needs, written once:

- an on-disk cache of every raw answer, written atomically (complete or absent), that keeps the time the
  answer was fetched (``_hamtad``) so a rebuild from the cache reports the source's own time;
- a throttle (a minimum interval between calls, which a source may read from its API);
- retries with tenacity: HTTP 429 and 5xx, timeouts, broken connections and truncated JSON are retried
  with exponential backoff, honouring ``Retry-After`` (seconds or an HTTP date, RFC 9110 §10.2.3) up to a
  minute; other 4xx answers fail at once;
- one named error, :class:`SourceError`, with a Swedish message naming the source, for whatever still
  fails.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import requests
from tenacity import RetryCallState, retry, retry_if_exception, stop_after_attempt, wait_exponential

log = logging.getLogger(__name__)

CACHE_DIR_ENV = "ETL_CACHE_DIR"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "cache"
FETCHED_AT_KEY = "_hamtad"  # in every cached answer: when it was fetched from the source
TIMEOUT_S = 30
ATTEMPTS = 3  # the first try and two retries; a source still failing after that is reported
MAX_RETRY_AFTER_S = 60.0


class SourceError(RuntimeError):
    """A source that failed after its retries, or answered in a way that cannot be used; the message
    names the source, in Swedish."""


class RetryableError(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds ("120", also "1.5") or an HTTP date
    ("Wed, 21 Oct 2026 07:28:00 GMT"); None when absent or unreadable. A date in the past is 0."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(0.0, seconds)


def wait_for(state: RetryCallState) -> float:
    """tenacity wait: the server's Retry-After (within a minute) where it gave one, else exponential."""
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, RetryableError) and exc.retry_after is not None:
        return min(exc.retry_after, MAX_RETRY_AFTER_S)
    return wait_exponential(multiplier=0.5, max=20)(state)


@dataclass
class HttpSource:
    """Cache, throttle and retries for one API. Subclasses give ``name`` (for messages), ``cache_subdir``
    and their own methods that call :meth:`fetch`."""

    name = "källan"
    cache_subdir = "http"

    base_url: str = ""
    cache_dir: Path = field(default_factory=lambda: Path(os.environ.get(CACHE_DIR_ENV, DEFAULT_CACHE_DIR)))
    refresh: bool = False
    min_interval_s: float | None = 0.0
    session: requests.Session = field(default_factory=requests.Session)
    stats: dict = field(default_factory=lambda: {"fetched": 0, "cached": 0, "retries": 0})
    # When an answer was fetched (ISO 8601, UTC); tests set their own clock.
    clock: Callable[[], str] = field(default=now_utc)
    fetch_time: dict = field(default_factory=dict)  # cache key → when its (cached) answer was fetched
    _last: float = 0.0

    # -- cache --------------------------------------------------------------------------------------
    def cache_path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return self.cache_dir / self.cache_subdir / f"{digest}.json"

    def read_cache(self, key: str) -> dict | None:
        path = self.cache_path(key)
        if not path.exists():
            return None
        doc = json.loads(path.read_text(encoding="utf-8"))
        # The original fetch time travels with the cached answer; an answer cached before that rule falls
        # back to the file's modification time, the closest record there is.
        self.fetch_time[key] = doc.get(FETCHED_AT_KEY) or datetime.fromtimestamp(
            path.stat().st_mtime, UTC).replace(microsecond=0).isoformat()
        return doc

    def write_cache(self, key: str, doc: dict, fetched_at: str) -> None:
        path = self.cache_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        doc[FETCHED_AT_KEY] = fetched_at
        self.fetch_time[key] = fetched_at
        tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # a cached answer is complete or absent

    # -- HTTP ---------------------------------------------------------------------------------------
    def interval(self) -> float:
        return self.min_interval_s or 0.0

    def throttle(self) -> None:
        delay = self._last + self.interval() - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._last = time.monotonic()

    def fetch(self, key: str, url: str, *, body: dict | None = None, check: Callable[[dict], None] | None = None,
              fresh: bool = False, what: str = "") -> dict:
        """One answer, from the cache when present (and not refreshing), else from the API (GET, or POST
        with ``body``). ``check`` validates a new answer before it is cached."""
        if not (self.refresh or fresh):
            doc = self.read_cache(key)
            if doc is not None:
                self.stats["cached"] += 1
                return doc
        try:
            doc = self._request(url, body)
        except RetryableError as exc:
            raise SourceError(f"{self.name} svarade inte korrekt efter {ATTEMPTS} försök ({exc}): "
                              f"{what or url}") from exc
        except requests.RequestException as exc:
            raise SourceError(f"{self.name} gick inte att nå ({exc.__class__.__name__}): {what or url}") from exc
        if check is not None:
            try:
                check(doc)
            except SourceError as exc:
                raise SourceError(f"{exc}: {what or url}") from exc
        self.write_cache(key, doc, self.clock())
        self.stats["fetched"] += 1
        return doc

    def _request(self, url: str, body: dict | None) -> dict:
        @retry(stop=stop_after_attempt(ATTEMPTS), wait=wait_for, reraise=True,
               retry=retry_if_exception(lambda e: isinstance(e, (RetryableError, requests.Timeout,
                                                                 requests.ConnectionError))),
               before_sleep=self._count_retry)
        def attempt() -> dict:
            self.throttle()
            if body is None:
                resp = self.session.get(url, timeout=TIMEOUT_S)
            else:
                resp = self.session.post(url, json=body, timeout=TIMEOUT_S)
            if resp.status_code == 429:
                raise RetryableError("HTTP 429", parse_retry_after(resp.headers.get("Retry-After")))
            if resp.status_code >= 500:
                raise RetryableError(f"HTTP {resp.status_code}", parse_retry_after(resp.headers.get("Retry-After")))
            if resp.status_code >= 400:
                raise SourceError(f"{self.name} svarade HTTP {resp.status_code} på {url}")
            try:
                doc = resp.json()
            except ValueError as exc:  # truncated or not JSON
                raise RetryableError("ofullständigt JSON-svar") from exc
            if not isinstance(doc, dict):
                raise SourceError(f"{self.name} svarade inte med ett JSON-objekt: {url}")
            return doc

        return attempt()

    def _count_retry(self, state: RetryCallState) -> None:
        self.stats["retries"] = self.stats.get("retries", 0) + 1
        log.warning("%s: försök %s misslyckades (%s); försöker igen", self.name, state.attempt_number,
                    state.outcome.exception() if state.outcome else "")
