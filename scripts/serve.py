"""Start the app: ``python scripts/serve.py [streamlit options]`` (what ``make run`` does).

The project keeps its page scripts under ``pages/views/`` and builds the navigation with ``st.navigation``
in app.py. Streamlit 1.67 still treats an app with a ``pages/`` folder as an old-style (v1) multipage app
until the first session has run ``st.navigation``, so the very first visitor after a server start who
opens a deep link (``/trygghet?kommun=1287``) got a "Page not found" dialog. Starting the server from
here, with the v1 behaviour switched off before any session exists, removes that.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main() -> None:
    PagesManager.uses_pages_directory = False  # what st.navigation sets on its first call
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
