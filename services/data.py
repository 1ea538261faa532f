"""Data och definitioner: the indicator catalogue, the store's runs and fetches, and every value as a
download. The frames carry Swedish column names because they are what users download."""

from __future__ import annotations

import numpy as np
import pandas as pd

from services import catalogue as cat
from services import exports
from services import indicators as svc
from services.catalogue import Strategy
from services.filters import Comparison, Filters
from services.store import per_store, q
from store.rounding import series_half_away

POLARITY = {"higher_better": "högre är bättre", "lower_better": "lägre är bättre", "neutral": "neutral"}


@per_store
def catalogue_frame() -> pd.DataFrame:
    """The catalogue as the Data page shows it (built once per store; callers must not change it)."""
    return _catalogue_frame()


@per_store
def catalogue_csv(is_demo: bool) -> bytes:
    return exports.to_csv_bytes(catalogue_frame(), is_demo)


def _yes_no(x, yes: str, no: str) -> str:
    """A flag as SQLite (0/1) and PostgreSQL (False/True) give it; '' where it is missing."""
    return "" if x is None or pd.isna(x) else yes if bool(x) else no


def _catalogue_frame() -> pd.DataFrame:
    ind = cat.indicators().reset_index(drop=True)
    cov = cat.coverage()
    last = cov.sort_values("fetched_at").groupby("indicator_id").agg(
        fetched_at=("fetched_at", "last"), source=("source", "last"), is_demo=("is_demo", "max"),
        first_year=("first_year", "min"), last_year=("last_year", "max")).reset_index()
    df = ind.merge(last, left_on="id", right_on="indicator_id", how="left")
    brk = cat.series_breaks()
    brk_text = (brk.assign(t=brk["year"].astype(str) + ": " + brk["description"]
                           + (" (gäller " + brk["areas"].fillna("") + ")").where(brk["areas"].notna(), ""))
                .groupby("indicator_id")["t"].agg(" · ".join))
    notes = q("method_notes")
    methods = notes.groupby("indicator_id")["text"].agg(lambda x: " · ".join(dict.fromkeys(x)))
    # The name first, the ids last: a reader looks for the indicator, the ids are for looking it up elsewhere.
    return pd.DataFrame({
        "Indikator": df["title"], "Kort namn": df["short_title"],
        "Definition": df["definition"], "Enhet": df["unit"],
        "Polaritet": df["polarity"].map(POLARITY), "Könsuppdelad": [_yes_no(x, "ja", "nej") for x in df["gender_split"]],
        "Källa": df["source_name"],
        "Typ": df["kind"].map({"register": "register", "survey": "enkät"}),
        "Undertryckning": [f"färre än {int(x)} svarande visas som .." if pd.notna(x) else "enligt källan"
                           for x in df["suppression_threshold"]],
        "Åldersgrupp": df["age_group"].fillna(""),
        "Nivåer": df["levels"].str.replace("country", "riket").str.replace("county", "län")
        .str.replace("municipality", "kommun").str.replace("district", "delområde"),
        "Senast hämtad": df["fetched_at"].fillna("").str[:10],
        "Hämtad från": df["source_y"].fillna("") if "source_y" in df else "",
        "År": [f"{int(a)}–{int(b)}" if pd.notna(a) else "" for a, b in zip(df["first_year"], df["last_year"], strict=True)],
        "Seriebrott": df["id"].map(brk_text).fillna(""),
        "Metod per område": df["id"].map(methods).fillna(""),
        "Demodata": [_yes_no(x, "ja – syntetiska värden", "nej") for x in df["is_demo"]],
        "Källans id": df["source_id"].fillna(""), "Id": df["id"],
    })


def all_values(f: Filters, strategy: Strategy, comparison: Comparison) -> pd.DataFrame:
    """Every indicator value for the municipality and its comparison areas in the chosen years, one row
    per value with its own source, fetch date and demo mark (a workbook travels without the app)."""
    s = strategy
    ind = cat.indicators()
    areas = tuple(dict.fromkeys((f.kommun, *comparison.area_ids)))
    vals = q("area_values", area_ids=areas, indicator_ids=tuple(ind["id"]), year_from=f.fran, year_to=f.till)
    names = dict(zip(cat.municipalities()["id"], cat.municipalities()["name"], strict=True)) | {"0000": "Riket", s.county_id: s.county}
    decs = vals["indicator_id"].map(ind["decimals"]).fillna(1).astype(int)
    fetches = q("provenance").dropna(subset=["fetch_id"]).drop_duplicates("fetch_id").set_index("fetch_id")
    fetch = fetches.reindex(vals["fetch_id"].astype(float).to_numpy())
    return pd.DataFrame({
        "Indikator-id": vals["indicator_id"], "Indikator": vals["indicator_id"].map(ind["title"]),
        "Område": vals["area_id"].map(names).fillna(vals["area_id"]), "Områdeskod": vals["area_id"],
        "År": vals["year"], "Kön": vals["gender"], "Värde": series_half_away(vals["value"], decs),
        "Status": vals["status"].map({"ok": "ok", "suppressed": "..", "missing": "saknas"}),
        "Antal svarande": vals["n"], "KI nedre": series_half_away(vals["ci_low"], decs),
        "KI övre": series_half_away(vals["ci_high"], decs),
        # Every value's own source, fetch date and demo mark (a workbook travels without the app).
        "Källa": fetch["source"].to_numpy(), "Hämtad": fetch["fetched_at"].astype(str).str[:10].to_numpy(),
        "Demodata": np.where(fetch["is_demo"].to_numpy() == 1, svc.DEMO_MARK, ""),
    })


def provenance() -> pd.DataFrame:
    """The store's runs and fetches, as the Data page lists them."""
    prov = q("provenance")
    return pd.DataFrame({
        "Körning": prov["run_id"], "Typ": prov["kind"], "Kommando": prov["command"],
        "Start": prov["started_at"], "Klar": prov["finished_at"], "Status": prov["status"],
        "Källa": prov["source"], "Vad": prov["what"], "Hämtad": prov["fetched_at"], "Rader": prov["rows"],
        "Demo": prov["is_demo"].map({1: "ja", 0: "nej"}), "Not": prov["note"],
    })
