"""Small typed records passed between the stages: article in, quotes and speakers out."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

QuoteKind = Literal["direct", "partial", "indirect"]
SpeakerKind = Literal["person", "organization"]
QUOTE_KINDS = ("direct", "partial", "indirect")
SPEAKER_KINDS = ("person", "organization")
#: What an organisation is (the store's organizations.kind).
ORGANIZATION_KINDS = ("government", "party", "company", "international", "ngo", "media", "other")
#: Where a speaker's country came from, surest first: a country word on the speaker (stated), their post
#: (title), the body they speak for (organisation), a city or region named with them (place), the database
#: (knowledge, curated), or the article's setting, a guess (article).
COUNTRY_SOURCES = ("curated", "stated", "title", "organisation", "place", "knowledge", "article")


@dataclass(frozen=True)
class Article:
    """A normalised article; every character offset elsewhere points into ``text``."""

    text: str
    source: str = ""  # the path or name it was read from, as given
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    author: str | None = None


@dataclass
class Speaker:
    """A speaker as one article knows it: canonical name, other names, and what the article says of them."""

    name: str
    kind: SpeakerKind = "person"
    aliases: list[str] = field(default_factory=list)
    title: str | None = None
    organization: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    named: bool = True  # False for descriptions ("a source"): never merged across articles
    country_source: str | None = None  # one of COUNTRY_SOURCES when there is a country

    @property
    def country_inferred(self) -> bool:
        """The country is the article's setting, a guess rather than something said of this speaker."""
        return self.country_source == "article"


@dataclass
class Quote:
    """One attributed (or unattributed) statement with character offsets into the article text."""

    start: int
    end: int
    text: str  # verbatim: article.text[start:end]
    kind: QuoteKind
    speaker: str | None = None  # canonical name, a key into Extraction.speakers
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    confidence: float = 0.0
    method: str = ""  # the rule that attributed it
    sentence_start: int | None = None
    sentence_end: int | None = None


@dataclass
class Extraction:
    """What extraction found in one article."""

    article: Article
    quotes: list[Quote] = field(default_factory=list)
    speakers: dict[str, Speaker] = field(default_factory=dict)
    error: str | None = None  # set when extraction failed for this article; the batch goes on

    def quote_dicts(self) -> list[dict]:
        """Quotes in the `quotes extract` JSON contract (see the eval README), speaker fields filled in."""
        out = []
        for q in self.quotes:
            sp = self.speakers.get(q.speaker) if q.speaker else None
            out.append({
                "file": self.article.source,
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "kind": q.kind,
                "speaker": q.speaker,
                "speaker_mention": q.speaker_mention,
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
                "speaker_kind": sp.kind if sp else None,
                "title": sp.title if sp else None,
                "organization": sp.organization if sp else None,
                "country": sp.country if sp else None,
                "country_source": sp.country_source if sp and sp.country else None,
                "cue": q.cue,
                "confidence": round(q.confidence, 3),
                "method": q.method,
            })
        return out
