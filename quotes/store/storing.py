"""Keep extractions in the database: one transaction per article, speakers merged across articles."""
from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from quotes import records

from .curation import replay_article
from .db import begin_write
from .knowledge import apply_knowledge
from .models import QUOTE_KINDS, SPEAKER_KINDS, Affiliation, Article, Quote, Speaker, name_key
from .candidates import organization_id_of
from .resolution import PersonName, SpeakerResolver, collect_orphans, source_of  # noqa: F401  (PersonName: API)
from .surnames import BareMention, bare_mention, mark_unsettled, settle_surnames
from .writing import write_pending


class StoreError(ValueError):
    """An extraction cannot be stored as it is (e.g. a quote's offsets do not match the text)."""


@dataclass
class StoreResult:
    """What storing one extraction did."""

    article_id: int
    status: Literal["added", "unchanged", "updated"]
    n_quotes: int = 0
    speakers: list[str] = field(default_factory=list)  # canonical names in the database
    new_speakers: int = 0
    corrections: int = 0  # manual corrections applied again
    missed_corrections: int = 0  # corrections whose quote the new extraction no longer has
    kept_quotes: int = 0  # stored quotes found again (same span, or same words in a new version): same ids
    dropped_quotes: list[int] = field(default_factory=list)  # ids of stored quotes no longer found

    @property
    def new(self) -> bool:
        """True when the article was not in the database before."""
        return self.status == "added"


def content_hash(text: str) -> str:
    """The article's identity: sha256 of its normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_article(session: Session, article: records.Article) -> Article | None:
    """The stored article with exactly this text, if any."""
    return session.scalar(select(Article).where(Article.content_hash == content_hash(article.text)))


def article_ids(session: Session, wanted: list[int] | None = None) -> list[int]:
    """``wanted`` if every one of them is stored (else StoreError naming those that are not), or every
    stored article's id, in order."""
    if not wanted:
        return list(session.scalars(select(Article.id).order_by(Article.id)))
    known = set(session.scalars(select(Article.id).where(Article.id.in_(wanted))))
    missing = [i for i in wanted if i not in known]
    if missing:
        raise StoreError(f"no article with id {', '.join(map(str, missing))}")
    return list(wanted)


def stored_article(session: Session, article_id: int) -> records.Article:
    """A stored article as the records.Article it was made from, for extracting it again."""
    row = session.get(Article, article_id)
    return records.Article(text=row.text, source=row.source, title=row.title, outlet=row.outlet, url=row.url,
                           published=row.published, author=row.author)


#: Tries of one article's transaction when another process holds the database past the busy timeout, or
#: stored the same speaker or article first (a unique constraint); between tries a growing pause.
RETRIES = 5
BACKOFF_SECONDS = 0.5

T = TypeVar("T")


def _busy(exc: OperationalError) -> bool:
    message = str(exc.orig or exc).lower()
    return "locked" in message or "busy" in message


def retried(session: Session, where: str, transaction: Callable[[], T]) -> T:
    """Run ``transaction`` (which begins and commits its own) until it succeeds.

    A conflict with a concurrent writer (a unique key it stored first, or a lock held past the busy
    timeout) rolls back and tries again, reading the database afresh, up to RETRIES times with a
    growing pause; what still fails, or cannot succeed (a read-only database), is one StoreError line.
    """
    for attempt in range(1, RETRIES + 1):
        try:
            return transaction()
        except IntegrityError as exc:
            session.rollback()
            if "unique" not in str(exc.orig).lower():  # a broken constraint that trying again will not mend
                raise StoreError(f"{where}: cannot be stored ({exc.orig})") from None
            problem = f"conflicting concurrent write ({exc.orig})"
        except OperationalError as exc:
            session.rollback()
            if not _busy(exc):
                raise StoreError(f"{where}: cannot write the database ({exc.orig})") from None
            problem = f"the database is busy ({exc.orig})"
        if attempt < RETRIES:  # jittered, so that two writers that met do not meet again
            time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1) * (0.5 + random.random()))
    raise StoreError(f"{where}: not stored after {RETRIES} tries: {problem}")


def store_extraction(session: Session, extraction: records.Extraction, *, settle: bool = False,
                     knowledge: bool = False) -> StoreResult:
    """Store one article with its quotes and speakers in its own transaction.

    The same text again adds nothing; a known URL with new text replaces that article's quotes. A
    conflict with another process writing the same database is retried (see ``retried``). The surnames
    it touches wait to be settled (store.surnames): by ``settle`` at the end of the batch, which reads
    each surname's mentions once, or with ``settle=True`` in this same transaction (each time).
    ``knowledge``: what the database knows of the speakers is filled in first (store.knowledge), in the
    same transaction, by the resolver that then stores them (the rows it reads serve both).
    """
    def work() -> StoreResult:
        result = _store(session, extraction, knowledge)
        if settle:
            settle_surnames(session)
        return result

    return _written(session, extraction.article.source or "article", work)


def settle(session: Session) -> int:
    """Settle every bare surname stored articles left waiting (store.surnames), in one write transaction:
    the end of a batch stored with ``settle=False``. How many mentions moved."""
    return _written(session, "settling surnames", lambda: settle_surnames(session))


def _written(session: Session, where: str, work: Callable[[], T]) -> T:
    """``work`` in a write transaction of its own, committed, or rolled back on any error; retried as
    ``retried`` says."""
    def transaction() -> T:
        begin_write(session)
        try:
            result = work()
            session.commit()
        except BaseException:
            session.rollback()
            raise
        return result

    return retried(session, where, transaction)


def _check(extraction: records.Extraction) -> None:
    text = extraction.article.text
    where = extraction.article.source or "article"
    for q in extraction.quotes:
        if not (0 <= q.start <= q.end <= len(text)) or text[q.start:q.end] != q.text:
            raise StoreError(f"{where}: quote at {q.start}-{q.end} does not match the article text")
        if q.kind not in QUOTE_KINDS:
            raise StoreError(f"{where}: quote at {q.start}-{q.end} has unknown kind {q.kind!r}")
    for sp in extraction.speakers.values():
        if sp.kind not in SPEAKER_KINDS:
            raise StoreError(f"{where}: speaker {sp.name!r} of kind {sp.kind!r} cannot be stored")


def _named(extraction: records.Extraction) -> records.Extraction:
    """The extraction with every speaker whose name has no letter or digit (an emoji, a "#") left out:
    their quotes are stored unattributed rather than the article refused."""
    if all(name_key(name) for name in extraction.speakers) and all(
            q.speaker is None or name_key(q.speaker) for q in extraction.quotes):
        return extraction
    quotes = [q if q.speaker is None or name_key(q.speaker) else
              replace(q, speaker=None, speaker_mention=None, speaker_start=None, speaker_end=None)
              for q in extraction.quotes]
    speakers = {name: sp for name, sp in extraction.speakers.items() if name_key(name) and name_key(sp.name)}
    return replace(extraction, quotes=quotes, speakers=speakers)


def _store(session: Session, extraction: records.Extraction, knowledge: bool = False) -> StoreResult:
    art = extraction.article
    digest = content_hash(art.text)
    existing = session.scalar(select(Article).where(Article.content_hash == digest))
    if existing is not None:
        return StoreResult(existing.id, "unchanged")
    resolver = SpeakerResolver(session)
    if knowledge:
        extraction = apply_knowledge(session, extraction, resolver)
    _check(extraction)
    extraction = _named(extraction)

    row = None
    if art.url:
        row = session.scalar(select(Article).where(Article.url == art.url).order_by(Article.id).limit(1))
    status: Literal["added", "updated"] = "added" if row is None else "updated"
    old: tuple[set[int], set[int]] = (set(), set())
    previous: list[Quote] = []
    if row is None:
        row = Article(content_hash=digest, text=art.text)
        session.add(row)
    else:  # a new version of a known page: its affiliations go, its quotes are matched to the new ones
        previous = list(row.quotes)
        old = _clear(row)
        row.content_hash, row.text = digest, art.text
    row.title, row.outlet, row.url = art.title, art.outlet, art.url
    row.published, row.author, row.source = art.published, art.author, art.source
    session.flush()
    result = _fill(session, row, extraction, status, previous, resolver)
    collect_orphans(session, *old)
    return result


def _clear(row: Article) -> tuple[set[int], set[int]]:
    """Drop an article's affiliations (its quotes stay, for _fill to match); the speakers and organisations
    its quotes and affiliations named."""
    speakers = {q.speaker_id for q in row.quotes if q.speaker_id is not None}
    speakers |= {a.speaker_id for a in row.affiliations}
    organizations = {a.organization_id for a in row.affiliations if a.organization_id is not None}
    row.affiliations.clear()
    return speakers, organizations


def _match(previous: list[Quote], values: list[dict]) -> tuple[list[tuple[Quote, dict]], list[dict], list[Quote]]:
    """Pair new quotes (column values) with stored ones: the same span and words first, then, for a new
    version of the page whose offsets moved, the same words. (pairs, new quotes unpaired, stored unpaired)."""
    by_span: dict[tuple, list[Quote]] = {}
    for q in previous:
        by_span.setdefault((q.start, q.end, q.text), []).append(q)
    pairs, rest = [], []
    for v in values:
        same = by_span.get((v["start"], v["end"], v["text"]))
        (pairs.append((same.pop(0), v)) if same else rest.append(v))
    paired = {id(q) for q, _ in pairs}
    by_text: dict[str, list[Quote]] = {}
    for q in previous:
        if id(q) not in paired:
            by_text.setdefault(q.text, []).append(q)
    fresh = []
    for v in rest:
        same = by_text.get(v["text"])
        (pairs.append((same.pop(0), v)) if same else fresh.append(v))
    paired = {id(q) for q, _ in pairs}
    return pairs, fresh, [q for q in previous if id(q) not in paired]


def reprocess_extraction(session: Session, article_id: int, extraction: records.Extraction, *,
                         settle: bool = False) -> StoreResult:
    """Replace a stored article's quotes with a new extraction of its text, in one transaction.

    Manual corrections are applied again, and speakers and organisations left with nothing are removed;
    ``settle`` as in store_extraction.
    """
    def work() -> StoreResult:
        row = session.get(Article, article_id)
        if row is None:
            raise StoreError(f"no article with id {article_id}")
        if extraction.article.text != row.text:
            raise StoreError(f"{row.source or article_id}: the extraction is not of the stored text")
        _check(extraction)
        named = _named(extraction)
        previous = list(row.quotes)
        old = _clear(row)
        session.flush()
        result = _fill(session, row, named, "updated", previous)
        collect_orphans(session, *old)
        if settle:
            settle_surnames(session)
        return result

    return _written(session, extraction.article.source or f"article {article_id}", work)


def _bare_columns(mention: BareMention | None) -> dict:
    """A quote's bare_* columns for the bare-surname mention that names its speaker, if any."""
    if mention is None:
        return dict(bare_name=None, bare_country=None, bare_country_source=None)
    return dict(bare_name=mention.name, bare_country=mention.country, bare_country_source=mention.country_source)


def _fill(session: Session, row: Article, extraction: records.Extraction,
          status: Literal["added", "updated"], previous: list[Quote] = (),
          resolver: SpeakerResolver | None = None) -> StoreResult:
    """Store an extraction's speakers, affiliations and quotes under ``row``, then replay corrections.

    A quote of ``previous`` (the article's stored quotes) found again is updated in place, keeping its id
    (what `quotes show`, links and exports point at); the others are deleted and reported."""
    art = extraction.article
    earlier = {q.speaker_id for q in previous if q.speaker_id is not None}  # before the quotes are updated
    resolver = resolver or SpeakerResolver(session)
    described = dict(extraction.speakers)
    for q in extraction.quotes:  # a quote naming a speaker the extraction did not describe
        if q.speaker and q.speaker not in described:
            described[q.speaker] = records.Speaker(q.speaker)
    rows: dict[str, Speaker] = {}
    bare = {name: bare_mention(sp) for name, sp in described.items()}
    new_speakers = 0
    seen_affiliations: set[tuple] = set()
    # the article's rows go in with one flush at the end (the resolver's queries see them unflushed), and the
    # rows its names can be are read at once
    resolver.preload(described.values())
    with session.no_autoflush:
        for name, sp in described.items():
            speaker, created = resolver.resolve(sp, flush=False)
            rows[name] = speaker
            new_speakers += created
            if sp.title or sp.organization:
                org = None
                if sp.organization and name_key(sp.organization) not in ("", speaker.key):
                    org = resolver.organization(sp.organization, sp.country, source_of(sp))
                if org is not None and org.id == organization_id_of(speaker):
                    org = None  # an organisation is not its own member
                    if not sp.title:
                        continue
                ident = (speaker, org, sp.title)  # the rows themselves: a new one has no id yet
                if ident not in seen_affiliations:
                    seen_affiliations.add(ident)
                    # the body's country is the one guessed for the speaker: the government of the
                    # article's setting given a bare post, or a country-less "foreign ministry" placed there
                    inferred = bool(org is not None and sp.country_inferred and org.country == sp.country)
                    session.add(Affiliation(speaker=speaker, organization=org, title=sp.title, article=row,
                                            seen_on=art.published, inferred=inferred))

    write_pending(session)  # the new rows as Core inserts; what stays pending (changed stored rows) is flushed
    session.flush()
    values = [dict(
        article_id=row.id, speaker_id=rows[q.speaker].id if q.speaker in rows else None, text=q.text, kind=q.kind,
        start=q.start, end=q.end, cue=q.cue, speaker_mention=q.speaker_mention,
        speaker_start=q.speaker_start, speaker_end=q.speaker_end, confidence=q.confidence,
        method=q.method, sentence_start=q.sentence_start, sentence_end=q.sentence_end, corrected=False,
        **_bare_columns(bare.get(q.speaker) if q.speaker in rows else None))
        for q in extraction.quotes]
    pairs, fresh, gone = _match(list(previous), values)
    for quote, v in pairs:
        for name, value in v.items():
            setattr(quote, name, value)
    for quote in gone:
        session.delete(quote)
    session.flush()
    for quote, _ in pairs:  # its speaker relationship is read again (curation replay)
        session.expire(quote)
    if fresh:
        # one executemany, in order (so ids as before), rather than an ORM object and an INSERT per quote;
        # on the table, as Core: the ORM's bulk insert adds nothing here but its own bookkeeping
        session.execute(insert(Quote.__table__), fresh)
    session.expire(row, ["quotes"])  # loaded again from the database if asked for (curation replay)
    names = list(dict.fromkeys(s.name for s in rows.values()))
    # who a bare surname is gets decided again over every article (store.surnames): the surnames of the
    # people it names now, and on a new version those it named before, whose evidence it changed
    touched = {s.surname for s in rows.values() if s.kind == "person"}
    touched |= {m.surname for m in bare.values() if m is not None}
    if earlier:
        touched |= set(session.scalars(select(Speaker.surname).where(Speaker.id.in_(sorted(earlier)))))
    mark_unsettled(session, touched)
    replayed = replay_article(session, row)
    return StoreResult(row.id, status, len(extraction.quotes), names, new_speakers,
                       replayed.applied, replayed.missed, len(pairs), sorted(q.id for q in gone))
