"""``python -m report --kommun 0181 --format pptx --out möte.pptx``: the meeting pack from the command line,
from the same view state as a link to the app (the same parameter names and checks)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m report", description="Mötesunderlag (PowerPoint eller PDF) för en kommuns strategi.")
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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.store:
        os.environ["INDICATOR_STORE"] = args.store
    logging.getLogger("streamlit").setLevel(logging.ERROR)
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
