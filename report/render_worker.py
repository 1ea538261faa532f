"""A chart-rendering worker for the meeting pack: reads a pickled list of chart jobs from stdin (made by
``report.content``, in this same program), writes the pickled PNGs to stdout. A separate program rather
than a multiprocessing pool: inside Streamlit the running page is ``__main__``, and a spawned pool would
run the page again in every worker."""

from __future__ import annotations

import pickle
import sys


def main() -> int:
    from report.content import render_png

    jobs = pickle.load(sys.stdin.buffer)  # noqa: S301 - our own parent process wrote it
    pickle.dump([render_png(job) for job in jobs], sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
