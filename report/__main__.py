"""``python -m report --kommun 0181 --format pptx --out möte.pptx``: the meeting pack from the command line,
from the same view state as a link to the app (the same parameter names and checks)."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
import warnings
from pathlib import Path

# argparse speaks English; the messages a person meets at the terminal, in Swedish.
_ARGPARSE_SV = (
    (re.compile(r"the following arguments are required: (.*)"), r"dessa måste anges: \1"),
    (re.compile(r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)"), r"\1: ogiltigt val \2 (välj \3)"),
    (re.compile(r"argument (\S+): expected one argument"), r"\1 behöver ett värde"),
    (re.compile(r"unrecognized arguments: (.*)"), r"okända argument: \1"),
)


class _SwedishHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ARG002
        super().add_usage(usage, actions, groups, prefix="användning: ")

    def start_section(self, heading):
        super().start_section({"options": "val", "optional arguments": "val"}.get(heading, heading))


class _SwedishParser(argparse.ArgumentParser):
    def error(self, message: str):
        for pattern, swedish in _ARGPARSE_SV:
            if pattern.search(message):
                message = pattern.sub(swedish, message)
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {message}\n")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = _SwedishParser(
        prog="python -m report", description="Mötesunderlag (PowerPoint eller PDF) för en kommuns strategi.",
        formatter_class=_SwedishHelp, add_help=False)
    ap.add_argument("-h", "--help", action="help", help="visa den här hjälpen och avsluta")
    ap.add_argument("--kommun", required=True, help="kommunkod för en strategi, t.ex. 0181")
    ap.add_argument("--fokus", nargs="*", default=None, metavar="ID",
                    help="fokusområden (id i katalogen); alla om det utelämnas")
    ap.add_argument("--ind", nargs="*", default=None, metavar="ID", help="bara dessa indikatorer")
    ap.add_argument("--jmf", help="jämförelse: 0000 (Riket), länets id, en grupps id eller lista")
    ap.add_argument("--lista", help="med --jmf lista: kommunkoder, kommaseparerade")
    ap.add_argument("--omrade", help="ett delområdes id")
    ap.add_argument("--fran", type=str, help="första år")
    ap.add_argument("--till", type=str, help="sista år")
    ap.add_argument("--kon", choices=["T", "K", "M"], help="kön i översikterna")
    ap.add_argument("--sedan", help="ÅÅÅÅ-MM-DD: ta med de uppgifter som är nya eller reviderade sedan den dagen")
    ap.add_argument("--format", choices=["pptx", "pdf"], required=True)
    ap.add_argument("--out", required=True, help="filen att skriva")
    ap.add_argument("--store", help="indikatordatabasen (annars INDICATOR_STORE eller data/indicators.sqlite)")
    return ap.parse_args(argv)


# Libraries whose log lines are English notes for developers, not for the person making a pack: Streamlit
# ("No runtime found, using MemoryCacheStorageManager" outside a running app), WeasyPrint (ignored CSS),
# fontTools (font subsetting), Altair/vl-convert and python-pptx. Their errors still show.
QUIET_LOGGERS = ("streamlit", "weasyprint", "fontTools", "PIL", "altair", "vl_convert", "pptx", "matplotlib")
# Python warnings of these kinds from libraries are notes to their users' developers (deprecations, coming
# changes); any other warning is shown with a Swedish preamble.
QUIET_WARNINGS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def quiet_libraries() -> None:
    """Only Swedish on the terminal: the libraries' English notes off, other warnings said in Swedish."""
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # before streamlit is first imported
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    import streamlit.logger

    streamlit.logger.set_log_level("error")  # Streamlit sets each of its loggers' levels itself
    for category in QUIET_WARNINGS:
        warnings.filterwarnings("ignore", category=category)
    warnings.showwarning = _swedish_warning


def _swedish_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ARG001
    """A warning that is not filtered, with a Swedish preamble (the library's own words stay as they are)."""
    where = Path(filename).parent.name or Path(filename).stem
    print(f"Varning från programbiblioteket {where} (meddelandet är bibliotekets eget): {message}",
          file=file or sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.store:
        os.environ["INDICATOR_STORE"] = args.store
    quiet_libraries()
    from components.filters import PARAM_NAMES, plain
    from report import build_pack
    from services import context
    from services.store import get_store_info
    from store.db import StoreError

    params = {k: v for k in ("kommun", "jmf", "lista", "omrade", "fran", "till", "kon", "sedan")
              if (v := getattr(args, k)) is not None}
    try:
        ctx, bad = context.from_params(params, get_store_info())
    except StoreError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    # A command is not a link: an unknown value stops it rather than falling back to a default.
    if bad or ctx.kommun != args.kommun:
        for key, value in bad or [("kommun", args.kommun)]:
            print(f"Okänt värde för {PARAM_NAMES.get(key, key)}: {plain(value)}", file=sys.stderr)
        return 2
    out = Path(args.out)
    start = time.perf_counter()
    try:
        data = build_pack(ctx, args.format, args.fokus, args.ind)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)  # a pack that failed half-way never replaces a good one
    demo = " – DEMODATA, inte officiell statistik" if ctx.store.is_demo else ""
    print(f"Mötesunderlaget är klart: {out} ({len(data) // 1024} kB, {time.perf_counter() - start:.1f} s){demo}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
