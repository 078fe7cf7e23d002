"""The command line's start-up: the garbage collector leaves alone what the process keeps for life.

A full collection re-scans every object the process holds, and so does the one Python makes at exit.
What a command imports and sets up (click, SQLAlchemy, the models, the engine) lives as long as the
process and is never garbage, yet re-scanning it cost a query command about a fifth of its CPU
(``bench/startup.py``). So, in the ``quotes`` process only: full collections wait while it starts
(young ones still run, so short-lived cycles are freed as ever), and once the database is open what
exists is frozen (``gc.freeze``) out of every later collection. Full collections come back when
extraction starts (it sets its own thresholds), when a server starts, or after START_UP_CPU_SECONDS
of CPU, whichever comes first. Programs that import the package are not affected.

spaCy's package imports its own command line, and with it typer, requests, weasel and httpx, for
``spacy.info`` alone; ``import_spacy`` leaves that out (it loads as ever when imported), which the
extraction stage asks for before it first imports spaCy, in any program.
"""
from __future__ import annotations

import gc
import importlib.util
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

#: CPU seconds after which a process is no longer starting up, whatever it is doing.
START_UP_CPU_SECONDS = 2.0
#: Generation-1 collections before a full one, during start-up: never, in practice.
_DEFERRED = 1 << 30

_normal: tuple[int, ...] | None = None
_started = 0.0
_frozen = False


def defer_full_collections() -> None:
    """Hold back full collections until resume_full_collections() or START_UP_CPU_SECONDS of CPU."""
    global _normal, _started
    if _normal is not None:
        return
    _normal = gc.get_threshold()
    _started = time.process_time()
    gc.set_threshold(*_normal[:2], _DEFERRED)
    gc.callbacks.append(_watch)


def freeze_start_up() -> None:
    """Exclude every object that exists now from later collections, once, if start-up was deferred."""
    global _frozen
    if _normal is not None and not _frozen:
        _frozen = True
        gc.freeze()


def resume_full_collections() -> None:
    """The thresholds as they were before start-up (nothing to do if it was not deferred)."""
    global _normal
    if _normal is None:
        return
    gc.set_threshold(*_normal)
    _normal = None
    if _watch in gc.callbacks:
        gc.callbacks.remove(_watch)


def _watch(phase: str, info: dict) -> None:
    if phase == "stop" and time.process_time() - _started > START_UP_CPU_SECONDS:
        resume_full_collections()


#: How seldom Python collects its older generations during work that makes many short-lived objects while the
#: process holds many long-lived ones (the rules over a parse; storing an article beside the parses of the
#: batch): the default (10, 10) re-scans every object held, a cost that grows with what the process holds
#: (the rules: x1.20 for the 84 PolNeAR dev articles as one document against the same articles apart; x1.04 so).
OLD_GENERATION_THRESHOLDS = (100, 100)


@contextmanager
def fewer_old_collections() -> Iterator[None]:
    """Collect the older generations less often for the duration; the youngest as before."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], *(max(a, b) for a, b in zip(OLD_GENERATION_THRESHOLDS, before[1:])))
    try:
        yield
    finally:
        gc.set_threshold(*before)


#: What spaCy's package imports for ``spacy.info`` alone: its command line, which brings typer, requests, weasel
#: and httpx (0.2 s of CPU in every process that extracts; quotes never runs spaCy's command line).
SPACY_CLI = ("spacy.cli", "spacy.cli.info")


def import_spacy() -> None:
    """Import spaCy without its command line, which loads as ever if anything imports it later."""
    if "spacy" in sys.modules or any(name in sys.modules for name in SPACY_CLI):
        return
    spec = importlib.util.find_spec("spacy")  # found, not imported
    if spec is None or not spec.submodule_search_locations:
        return
    cli, info = ModuleType(SPACY_CLI[0]), ModuleType(SPACY_CLI[1])
    # its real folder: a module of the command line that spaCy itself imports (none in 3.8) loads as ever
    cli.__path__ = [os.path.join(location, "cli") for location in spec.submodule_search_locations]
    info.info = _spacy_info  # type: ignore[attr-defined]
    stubs = dict(zip(SPACY_CLI, (cli, info)))
    sys.modules.update(stubs)
    try:
        import spacy
    finally:
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        del spacy.cli  # so that ``import spacy.cli`` sets the real one


def _spacy_info(*args, **kwargs):
    """``spacy.info``, its command line imported when it is called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)
