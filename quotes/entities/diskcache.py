"""Tables derived from a library's data, kept on disk between processes (``$XDG_CACHE_HOME/quotes``).

Building them means parsing the library's files (GeoNames' cities, gender-guesser's names), which takes a
noticeable share of a short run; reading the derived table back is a small JSON load. A cache file is named
by what it depends on (the library's version and the table's own format version), so an upgrade builds
afresh; a home without a writable cache just builds every time.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from importlib import metadata
from typing import Any

from quotes.config import cache_dir


def cached_json(name: str, distribution: str, version: int, build: Callable[[], Any]) -> Any:
    """``build()``'s result (JSON-serialisable), from the cache file for ``distribution``'s installed version
    and the table's ``version`` when there is one, else built and (atomically) saved."""
    try:
        library = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        library = "0"
    path = cache_dir() / f"{name}-{version}-{distribution}-{library}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    table = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        pass  # a read-only home: build again next time
    return table
