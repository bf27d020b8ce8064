"""Pause Python's cyclic garbage collector while a big file's objects are built.

Parsing and merging 100,000 profiles allocates millions of small objects that all stay alive;
each allocation burst triggers collections that scan the whole growing heap again, which cost
about a third of such a command. None of these objects form cycles, so the pause frees nothing
late; the collector's previous state is restored on the way out (pauses nest).

A command whose objects live until the process ends (the answer it prints) pauses with
``until_exit``: on the way out they are moved out of the collector's reach (``gc.freeze``), or
the first collection after the pause scans them all once more (about 70 ms for 100,000
profiles) for nothing. Not for a long-lived process: frozen objects are never collected as
cycles.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc(until_exit: bool = False) -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if until_exit:
                gc.freeze()
            gc.enable()
