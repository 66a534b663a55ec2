"""sptui: a keyboard-first terminal console for Amazon's SP-API Services API."""

import sys

__version__ = "0.1.0"

# httpx imports its command-line client when click, rich and pygments are installed (Textual and
# uvicorn bring them): some 40 ms of start-up for a CLI sptui never runs. A None entry makes that
# optional import fail at once, as if the extras were absent; `httpx.main` then only says so.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
