"""A batch of inputs: how many articles it holds (for progress and ETA), and its normalised articles."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence

from quotes.records import Article

from .normalize import SourceOffsets, normalize_with_offsets
from .sources import FOLDER_EXTENSIONS, JSON_EXTENSIONS, JSONL_EXTENSIONS, InputError, load_json, read_paths


def read_articles(paths: Sequence[str], *, fields: dict[str, str] | None = None, meta: dict | None = None,
                  sources: dict[str, tuple[str, SourceOffsets]] | None = None,
                  note: Callable[[str], object] | None = None) -> Iterator[Article | InputError]:
    """Normalised articles from ``paths``, and an InputError in place of each input that cannot be one.

    ``fields`` renames JSON record keys; ``meta`` (outlet, published, url) overrides what the files say.
    With ``sources``, each article's raw text and offset map are kept there by source name, so that
    offsets can be reported against the file as given. ``note`` is told, in one line, what was assumed
    to read an input (the legacy encoding of a file that is not UTF-8).
    """
    meta = {k: v for k, v in (meta or {}).items() if v}
    read = 0
    noted: set[str] = set()
    for item in read_paths(paths, fields=fields):
        if isinstance(item, InputError):
            yield item
            continue
        if item.encoding and note is not None:
            file = item.source.rpartition("#")[0] or item.source  # a record's source is FILE#N
            if file not in noted:  # once a file, not once a record
                noted.add(file)
                note(f"{file}: not UTF-8; read as {item.encoding}")
        if meta.get("url") and read:  # one URL for two articles would make one replace the other
            yield InputError(item.source, f"--url {meta['url']} was given for one article only, and this is another")
            continue
        try:
            article, offsets = normalize_with_offsets(item, **meta)
        except InputError as exc:
            yield exc
            continue
        read += 1
        if sources is not None:
            sources[article.source] = (item.text, offsets)
        yield article


def count_articles(paths: Sequence[str]) -> int | None:
    """How many articles (files, JSON records, JSON lines) ``paths`` hold, as reading.read_paths
    would yield them; None with "-" (standard input cannot be read twice).

    Cheap next to extraction: folders are walked, JSON Lines files counted by line, JSON files
    parsed. A file that cannot be read counts once: reading it yields one error.
    """
    total = 0
    for path in map(os.fspath, paths):
        if path == "-":
            return None
        if os.path.isdir(path):
            found = 0
            for root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    if not name.startswith(".") and name.lower().endswith(FOLDER_EXTENSIONS):
                        found += 1
                        total += _count_file(os.path.join(root, name))
            total += not found  # an empty folder is one error
        else:
            total += _count_file(path)
    return total


def _count_file(path: str) -> int:
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext in JSONL_EXTENSIONS:
            with open(path, "rb") as f:
                return max(1, sum(1 for line in f if line.strip()))
        if ext in JSON_EXTENSIONS:
            with open(path, "rb") as f:
                value = load_json(f.read())
            return max(1, len(value)) if isinstance(value, list) else 1
    except (OSError, ValueError):
        pass
    return 1
