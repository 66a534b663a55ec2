"""Short full garbage collections, so a keypress never waits ~50 ms behind one.

A full collection walks every tracked object: Textual's widgets and styles, the models, and in
demo mode the whole simulated world. Measured on the capacity grid, those passes were the
worst keypress latencies (40-60 ms each). What exists once the first page is up lives as long as
the app, so it is collected once and then frozen out of later passes (`gc.freeze`, as Python's
docs suggest after start-up). Only once: freezing again would also keep forever whatever
short-lived screen happened to be open at that moment.
"""

from __future__ import annotations

import gc

_settled = False


def settle_once() -> bool:
    """Collect, then freeze the survivors; True the one time it does so."""
    global _settled
    if _settled:
        return False
    _settled = True
    gc.collect()
    gc.freeze()
    return True
