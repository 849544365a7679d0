"""Provides ``no_gc_pauses``: the cyclic garbage collector held off while a statement of
thousands of lines is read, staged or posted.

Why: an import allocates a few hundred thousand objects (the file's fields, draft lines,
row dicts) that all live until it ends; the collector, triggered by the allocation
count, walks them again and again (gen-2 passes over the whole process) for nothing —
they are freed by reference counting when the import returns. That is a tenth of a
second at 10 000 lines. Reference counting keeps working meanwhile; only cycles wait
until the last import in flight ends (imports may overlap: a depth count, under a lock,
restores the collector after the last one, and only if it was on)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
