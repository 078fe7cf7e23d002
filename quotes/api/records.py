"""Typed records the public API gives: quotes and speakers, convertible to plain dicts and table rows."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class QuoteRecord:
    """One quote with its speaker: the fields of the ``quotes extract`` JSON contract, and for a stored
    quote its ids and article. Offsets are character offsets into the text as given, and
    ``text == given[start:end]``."""

    file: str | None
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_kind: str | None = None
    title: str | None = None
    organization: str | None = None
    country: str | None = None
    country_source: str | None = None
    cue: str | None = None
    confidence: float = 0.0
    method: str = ""
    # a stored quote's
    id: int | None = None
    article_id: int | None = None
    article_title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    #: what else a query gave for this quote (a search's snippet, a who-said match's score)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> QuoteRecord:
        """The record of a query's or the extract contract's quote dict; unknown keys go to ``extra``."""
        known: dict[str, Any] = {k: v for k, v in row.items() if k in _QUOTE_FIELDS}
        extra = {k: v for k, v in row.items() if k not in _QUOTE_FIELDS}
        if known.get("published") is not None:
            known["published"] = str(known["published"])
        return cls(**known, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict of the fields (``extra``'s keys at the top level), as ``quotes extract`` writes it."""
        return _flat(self)


@dataclass(frozen=True)
class SpeakerRecord:
    """A stored speaker with what the database knows of them and how often they are quoted."""

    id: int
    name: str
    kind: str
    country: str | None = None
    country_source: str | None = None
    titles: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    n_quotes: int = 0
    n_articles: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, row: Mapping[str, Any]) -> SpeakerRecord:
        """The record of a query's speaker dict; unknown keys go to ``extra``."""
        known: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()
                                 if k in _SPEAKER_FIELDS}
        return cls(**known, extra={k: v for k, v in row.items() if k not in _SPEAKER_FIELDS})

    def to_dict(self) -> dict[str, Any]:
        """A plain dict of the fields, lists as lists."""
        return _flat(self)


_QUOTE_FIELDS = frozenset(f.name for f in dataclasses.fields(QuoteRecord)) - {"extra"}
_SPEAKER_FIELDS = frozenset(f.name for f in dataclasses.fields(SpeakerRecord)) - {"extra"}


def _flat(record: QuoteRecord | SpeakerRecord) -> dict[str, Any]:
    out = {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "extra"}
    out.update(record.extra)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


def to_records(items: QuoteRecord | SpeakerRecord | Mapping[str, Any]
               | Iterable[QuoteRecord | SpeakerRecord | Mapping[str, Any]], *, flat: bool = True) -> list[dict[str, Any]]:
    """Plain dicts, one per record, ready for ``pandas.DataFrame(...)``, ``csv.DictWriter`` or JSON.

    Takes a record, a dict, or any iterable of them (``extract``'s list, ``extract_many``'s lists, a
    query's iterator). With ``flat`` (the default) list values become one string joined with "; " (as
    the csv output writes them), so that every cell is a scalar.
    """
    if isinstance(items, (QuoteRecord, SpeakerRecord, Mapping)):
        items = [items]
    out = []
    for item in _each(items):
        row = item.to_dict() if isinstance(item, (QuoteRecord, SpeakerRecord)) else dict(item)
        if flat:
            row = {k: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v for k, v in row.items()}
        out.append(row)
    return out


def _each(items: Iterable) -> Iterable:
    """The records of ``items``, lists of them (extract_many's) opened up."""
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from item
        else:
            yield item


__all__ = ["QuoteRecord", "SpeakerRecord", "to_records"]
