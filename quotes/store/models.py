"""Database tables: articles, speakers, organisations, affiliations, quotes and the curation log."""
import re
import unicodedata
from datetime import date, datetime, timezone
from functools import lru_cache

from sqlalchemy import (
    Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from quotes.records import ORGANIZATION_KINDS, QUOTE_KINDS, SPEAKER_KINDS  # noqa: F401  (the store's names for them)

#: Deterministic constraint names, so Alembic batch migrations on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Longest value of a country_source column (records.COUNTRY_SOURCES).
COUNTRY_SOURCE_LENGTH = 20
#: Confidence steps of the browsing facet "at least X"; quote_counts keeps quotes by band: band b holds
#: confidences with exactly b steps at or below them (migration 0005's triggers compute the same).
CONFIDENCE_STEPS = (0.5, 0.7, 0.9)

#: The FTS5 index over quotes.text and its shadow tables; created by the migrations, not by SQLAlchemy.
FTS_TABLE = "quotes_fts"
#: PostgreSQL's full-text index (migration 0007): a generated tsvector column of quotes, its GIN index and
#: the text search configuration that builds it; created by the migrations, not by SQLAlchemy.
PG_SEARCH_COLUMN = "text_search"
PG_SEARCH_INDEX = "ix_quotes_text_search"
PG_SEARCH_CONFIG = "quotes_text"
#: PostgreSQL's index for --sort newest (migration 0007): published descending with NULLs last.
PG_NEWEST_INDEX = "ix_articles_published_newest"
#: PostgreSQL's index of quotes in article order with their ids (migration 0009), for deep pages of `list`.
PG_ARTICLE_ORDER_INDEX = "ix_quotes_article_order"
#: PostgreSQL's RUM index of the tsvector (migration 0011, where the server has the rum extension): ranked
#: search reads its matches from it best first.
PG_RANK_INDEX = "ix_quotes_text_search_rum"

#: Column info of values the database derives itself (trigger-kept counters): exports leave them out.
DERIVED = {"derived": True}


def utcnow() -> datetime:
    """Current time in UTC (naive, as SQLite stores it)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


_NON_WORD = re.compile(r"[\W_]+")


def name_key(name: str) -> str:
    """Lookup form of a name: case and diacritics folded, punctuation turned into single spaces."""
    if len(name) <= SHORT_NAME:
        return _short_name_key(name)
    return _name_key(name)


#: Names up to this length have their key remembered (storing an article asks for the same names' keys
#: many times over); longer text, such as a quote searched for, is folded each time.
SHORT_NAME = 200


@lru_cache(maxsize=1 << 15)
def _short_name_key(name: str) -> str:
    return _name_key(name)


def _name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Article(Base):
    """One normalised article; quote offsets point into ``text``."""

    __tablename__ = "articles"
    __table_args__ = (
        # with n_quotes, counts by outlet and by date come from the index alone
        Index("ix_articles_published_n_quotes", "published", "n_quotes"),
        Index("ix_articles_outlet_n_quotes", "outlet", "n_quotes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of text
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text, index=True)
    published: Mapped[date | None] = mapped_column(Date)
    author: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")  # the path as given when ingested
    ingested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # kept by triggers on quotes (migration 0003); never set it
    n_quotes: Mapped[int] = mapped_column(Integer, server_default="0", info=DERIVED)

    quotes: Mapped[list["Quote"]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Quote.start")
    affiliations: Mapped[list["Affiliation"]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True)


class Speaker(Base):
    """A person or organisation quoted somewhere, merged across articles."""

    __tablename__ = "speakers"
    __table_args__ = (CheckConstraint(f"kind IN {SPEAKER_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))  # canonical
    key: Mapped[str] = mapped_column(String(300), index=True)  # name_key(name)
    kind: Mapped[str] = mapped_column(String(20), default="person")
    country: Mapped[str | None] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    # where the country came from (records.COUNTRY_SOURCES); "article" (a guess) only on organisations
    country_source: Mapped[str | None] = mapped_column(String(COUNTRY_SOURCE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # False for descriptions ("a source", "officials"): one row per article, never matched again
    named: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # True once a person has corrected this row: its name and country outrank the extractor's
    curated: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # people: the last surname word, transliteration-folded (resolution.PersonName.surname_key)
    surname: Mapped[str | None] = mapped_column(String(100), index=True)
    # organisations that speak: the organisation row this speaker is. No ON DELETE action: added by
    # ALTER TABLE, whose inline REFERENCES clause SQLite reflection reads without its options.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    # kept by triggers on quotes (migration 0003); never set them
    n_quotes: Mapped[int] = mapped_column(Integer, server_default="0", info=DERIVED)
    n_articles: Mapped[int] = mapped_column(Integer, server_default="0", info=DERIVED)
    # a Wikidata item ("Q567") a person gave with `quotes people import`
    wikidata_id: Mapped[str | None] = mapped_column(String(20), index=True)

    organization: Mapped["Organization | None"] = relationship()
    aliases: Mapped[list["SpeakerAlias"]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", passive_deletes=True)
    affiliations: Mapped[list["Affiliation"]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", passive_deletes=True)
    quotes: Mapped[list["Quote"]] = relationship(back_populates="speaker", passive_deletes=True)


class SpeakerAlias(Base):
    """Every name a speaker was seen under, the canonical one included."""

    __tablename__ = "speaker_aliases"
    __table_args__ = (UniqueConstraint("speaker_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), index=True)  # name_key(alias)
    # the name came only with bare-surname mentions store.surnames gave this person: it goes with them
    settled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    speaker: Mapped["Speaker"] = relationship(back_populates="aliases")


class Organization(Base):
    """A government body, party, company, international body, NGO or outlet."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="other")  # one of ORGANIZATION_KINDS
    country: Mapped[str | None] = mapped_column(String(2), index=True)  # none for supranational bodies
    # stated: the wording names it; else the source of the country of the speaker it was named with
    country_source: Mapped[str | None] = mapped_column(String(COUNTRY_SOURCE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    curated: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    aliases: Mapped[list["OrganizationAlias"]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", passive_deletes=True)


class OrganizationAlias(Base):
    """Every name an organisation was seen under, the canonical one included."""

    __tablename__ = "organization_aliases"
    __table_args__ = (UniqueConstraint("organization_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), index=True)
    # resolution.org_identity(alias).canon: country and body words, so other wordings find the row
    canon: Mapped[str | None] = mapped_column(String(300), index=True)

    organization: Mapped["Organization"] = relationship(back_populates="aliases")


class Affiliation(Base):
    """Speaker X was <title> of <organisation>, as seen in an article, or (no article) as a person
    told it (`quotes people import`)."""

    __tablename__ = "affiliations"
    # lookups both ways; the organisation stats and a speaker's distinct posts read these alone
    __table_args__ = (
        Index("ix_affiliations_organization_id_speaker_id", "organization_id", "speaker_id"),
        Index("ix_affiliations_speaker_id_organization_id_title", "speaker_id", "organization_id", "title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(String(300))
    # none for a post a person gave (curated), which no re-extraction replaces
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    seen_on: Mapped[date | None] = mapped_column(Date)  # the article's published date
    # the organisation's country is the article's setting guessed for the speaker (an official with a
    # bare post, "the foreign ministry" with no country): not evidence of the speaker's country
    inferred: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    speaker: Mapped["Speaker"] = relationship(back_populates="affiliations")
    organization: Mapped["Organization | None"] = relationship()
    article: Mapped["Article | None"] = relationship(back_populates="affiliations")


class SpeakerOrganization(Base):
    """Speaker X has been seen in organisation Y, in ``n_affiliations`` affiliations.

    Kept by triggers on affiliations (migration 0003); never write it. Counts by organisation read
    these few rows instead of every affiliation (one per speaker and article).
    """

    __tablename__ = "speaker_organizations"
    __table_args__ = ({"info": DERIVED},)

    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True)
    n_affiliations: Mapped[int] = mapped_column(Integer, server_default="0")


class QuoteCount(Base):
    """How many quotes there are of each kind and confidence band (CONFIDENCE_STEPS).

    Kept by triggers on quotes (migration 0005); never write it. Unfiltered facet counts by kind and
    confidence read these few rows instead of every quote.
    """

    __tablename__ = "quote_counts"
    __table_args__ = ({"info": DERIVED},)

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, server_default="0")


class SpeakerMonthCount(Base):
    """How many quotes each speaker has by month of their article ('' when undated), kind and confidence
    band. Kept by triggers on quotes and articles (migration 0006); never write it. A speaker's,
    organisation's or country's timeline and kinds read these rows instead of every quote's article."""

    __tablename__ = "speaker_month_counts"
    __table_args__ = ({"info": DERIVED, "sqlite_with_rowid": False},)

    speaker_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, server_default="0")


class Quote(Base):
    """One statement: verbatim text at ``start:end`` of its article, and who said it."""

    __tablename__ = "quotes"
    __table_args__ = (
        CheckConstraint(f"kind IN {QUOTE_KINDS}", name="kind"),
        Index("ix_quotes_article_id_start", "article_id", "start"),
        Index("ix_quotes_confidence", "confidence"),  # --sort confidence
        # a speaker's quotes by article, kind and confidence from the index alone: the web's facets and
        # timelines of speakers, organisations and countries never read the quote rows (migration 0005)
        Index("ix_quotes_speaker_id_article_id_kind_confidence", "speaker_id", "article_id", "kind", "confidence"),
        # a surname's bare mentions, read by store.surnames at the end of every batch touching it (0010)
        Index("ix_quotes_speaker_id_bare_name", "speaker_id", "bare_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    cue: Mapped[str | None] = mapped_column(String(100))
    speaker_mention: Mapped[str | None] = mapped_column(String(300))
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    method: Mapped[str] = mapped_column(String(100), default="")
    sentence_start: Mapped[int | None] = mapped_column(Integer)
    sentence_end: Mapped[int | None] = mapped_column(Integer)
    corrected: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # the article named the speaker by a bare surname ("Holm", "Senator Holm"): the surname as written and
    # the country the article itself stated for them, from which store.surnames decides again, over every
    # stored article, which person that is (never kept: a country the database lent, or one guessed)
    bare_name: Mapped[str | None] = mapped_column(String(300))
    bare_country: Mapped[str | None] = mapped_column(String(2))
    bare_country_source: Mapped[str | None] = mapped_column(String(20))

    article: Mapped["Article"] = relationship(back_populates="quotes")
    speaker: Mapped["Speaker | None"] = relationship(back_populates="quotes")


class UnsettledSurname(Base):
    """A surname (Speaker.surname) whose bare mentions store.surnames has not settled since an article
    touching it was stored; written with the article, emptied by ``settle_surnames`` (end of a batch)."""

    __tablename__ = "unsettled_surnames"
    __table_args__ = ({"info": DERIVED},)

    surname: Mapped[str] = mapped_column(String(100), primary_key=True)


class Correction(Base):
    """A manual fix, logged so it can be reviewed or replayed."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str | None] = mapped_column(Text)  # JSON


class CurationRule(Base):
    """A manual attribution to re-apply after extraction runs again, keyed by article text and offsets.

    ``set-speaker`` gives one quote to ``speaker``; ``merge-speakers`` gives it to ``speaker`` only
    while extraction still attributes it to a name of the merged speaker (``from_keys``).
    """

    __tablename__ = "curation_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    correction_id: Mapped[int] = mapped_column(ForeignKey("corrections.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(50))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # of the article text
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True)  # finds a re-fetched version
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)  # the quote, to find it again in a changed text
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL"), index=True)
    # who, in case the row is gone: re-found by name or re-created; no name means "no speaker"
    speaker_name: Mapped[str | None] = mapped_column(String(300))
    speaker_kind: Mapped[str] = mapped_column(String(20), default="person")
    speaker_country: Mapped[str | None] = mapped_column(String(2))
    from_keys: Mapped[str | None] = mapped_column(Text)  # JSON list of name_key()s, merges only
