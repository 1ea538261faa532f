"""The app's one door to the store: a cached read-only engine and cached query results.

Results are cached with ``st.cache_data`` keyed on the query name, its small parameters and the
store's build id, so a rebuilt store is picked up without a restart.
"""

from __future__ import annotations

import functools
import logging
import time

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

import queries
from store.db import (
    StoreError,
    StoreInfo,
    check_store,
    file_identity,
    read_only_engine,
    sqlite_path,
    store_location,
)

log = logging.getLogger(__name__)

# A SQLite store is re-checked whenever its file changes (every publish renames a new file over it, with a
# new build id), at once; a server database (PostgreSQL) is re-checked after this many seconds.
STORE_CHECK_TTL_S = 30
# Enough for every page of a few municipalities; the oldest results go first.
QUERY_CACHE_ENTRIES = 512


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    return read_only_engine()


def _store_stamp():
    """What identifies the published store now: the file's inode and mtime (a publish replaces the file),
    or for a server database a time slot of STORE_CHECK_TTL_S seconds."""
    path = sqlite_path(store_location())
    if path is None:
        return ("ttl", int(time.monotonic() // STORE_CHECK_TTL_S))
    return file_identity(path) or ("saknas", str(path))


@st.cache_resource(max_entries=8, show_spinner=False)
def _store_info(stamp) -> StoreInfo:  # noqa: ARG001 - the cache key: the file's identity and mtime
    return check_store(engine())


_LAST_INFO: list = [None, None]  # the last (stamp, info): most calls in a run ask again for the same store


def store_info() -> StoreInfo:
    """The checked store for the file as it is now. A page asks some forty times per run; the last answer
    is kept for its stamp, so that only a new stamp (a publish) goes through Streamlit's cache and its
    hashing (issue #28)."""
    stamp = _store_stamp()
    last_stamp, last_info = _LAST_INFO
    if last_info is not None and last_stamp == stamp:
        return last_info
    info = _store_info(stamp)
    _LAST_INFO[:] = [stamp, info]
    return info


def get_store_info() -> StoreInfo:
    """The checked store, or StoreError with a Swedish message naming the fix."""
    try:
        return store_info()
    except StoreError:
        raise
    except Exception as exc:  # a broken file can fail in many ways; the user needs one message
        log.exception("store check failed")
        raise StoreError("Databasen kan inte öppnas. Bygg om den med `make demo`.", detail=str(exc)) from exc


# Results are kept as objects in a plain LRU keyed on (query, store build, parameters): no pickling as
# with st.cache_data, and no hashing of the arguments by Streamlit's hasher, which cost more than the
# lookups themselves on a page's rerun. The build id in the key keeps stores apart.
@functools.lru_cache(maxsize=QUERY_CACHE_ENTRIES)
def _cached(name: str, version_key: str, params: tuple) -> pd.DataFrame:  # noqa: ARG001 - the cache key (a new store build gets new entries)
    return queries.run(engine(), name, **dict(params))


def q(name: str, **params) -> pd.DataFrame:
    """Run a named query (see ``queries/``) through the cache. List parameters become tuples."""
    key = tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple, set)) else v) for k, v in params.items()))
    return _cached(name, get_store_info().version_key, key).copy()


_DERIVED: dict[str, object] = {}


MUTABLE = (dict, list, set, bytearray)


@functools.lru_cache(maxsize=QUERY_CACHE_ENTRIES)
def _derived(name: str, version_key: str, args: tuple):  # noqa: ARG001 - the cache key (a new store build gets new entries)
    value = _DERIVED[name](*args)
    if isinstance(value, MUTABLE):
        raise TypeError(f"{name} returns a {type(value).__name__}: a value cached per store build is shared by "
                        "every session and must be immutable (a tuple, frozenset, MappingProxyType or frozen "
                        "dataclass)")
    return value


def per_store(fn):
    """Cache a value derived from the store (e.g. the strategies as objects) once per store build. The
    same object is returned to every caller, so it must be immutable (tuples, frozen dataclasses, mapping
    proxies; a dict or list is refused with TypeError); a DataFrame, which pandas cannot freeze, is handed
    out as a copy, like ``q``'s results."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    _DERIVED[name] = fn

    @functools.wraps(fn)
    def wrapper(*args):
        value = _derived(name, get_store_info().version_key, args)
        return value.copy() if isinstance(value, pd.DataFrame) else value

    return wrapper


def clear_caches() -> None:
    """Forget every cached query result and derived value, Streamlit's caches included (benchmarks of a
    cold start; tests that switch stores)."""
    _cached.cache_clear()
    _derived.cache_clear()
    _LAST_INFO[:] = [None, None]
    st.cache_data.clear()
    st.cache_resource.clear()
