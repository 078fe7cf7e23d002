"""Bare surnames settled over every stored article, so that who "Holm" is does not depend on their order.

When an article is stored, the resolver (store.resolution) gives a bare-surname mention a row from what the
database holds at that moment, and a namesake stored later could have changed that answer. So such quotes
keep what their article said (``Quote.bare_name``, ``bare_country``), the surnames an article touches wait
in ``unsettled_surnames``, and ``settle_surnames`` (at the end of a batch: an ingest, a reprocess, an
import) decides each of them again from the whole database:

- a bare-surname mention goes to the full-named person who owns the surname given only what full names
  say (articles, bodies and posts of full-name mentions; the resolver's DOMINANT_MIN_ARTICLES /
  DOMINANCE_RATIO rule, resolution.surname_owner; ties by name, never by which came first);
- a mention nobody owns goes to the bare row of its name and the country its article stated; a mention
  with no country to the bare row of the country stated in most articles for that name (ties by country
  code), else to the bare row without a country. A bare row's name and country follow from its mentions.

Each settle reads the surname's quotes once (an index on (speaker_id, bare_name)), so a batch costs what its
surnames' mentions hold, whatever its length. Curated rows, rows a curation rule points at and corrected
quotes are a person's work and stay as they are.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from quotes import records

from .models import Affiliation, CurationRule, Quote, Speaker, SpeakerAlias, UnsettledSurname, name_key
from .resolution import (
    PersonName, _title_key, add_speaker_alias, collect_orphans, set_speaker_name, source_of, surer_source,
    surname_owner,
)

#: Country sources that are not the article's own word on the speaker: lent by the database (whose
#: answer depends on what was stored before) or guessed from the article's setting.
NOT_SAID = frozenset({"knowledge", "curated", "article"})


@dataclass(frozen=True)
class BareMention:
    """What an article said of a speaker it named by a bare surname only."""

    name: str
    country: str | None
    country_source: str | None

    @property
    def surname(self) -> str:
        """The surname key (Speaker.surname) the mention is settled under."""
        return PersonName.parse(self.name).surname_key


def bare_mention(sp: records.Speaker) -> BareMention | None:
    """The bare-surname mention ``sp`` is, or None when the article gives a full name (or no person)."""
    if sp.kind != "person" or not sp.named or not name_key(sp.name) or PersonName.parse(sp.name).first is not None:
        return None
    own = sp.country if sp.country and sp.country_source not in NOT_SAID else None
    return BareMention(sp.name, own, source_of(sp) if own else None)


def mark_unsettled(session: Session, surnames: Iterable[str | None]) -> None:
    """Put ``surnames`` among those waiting to be settled (in the caller's write transaction): one
    INSERT that skips those already waiting, on either backend."""
    wanted = sorted({s for s in surnames if s})
    if not wanted:
        return
    dialect = session.get_bind().dialect.name
    # one statement with bound parameters, built once per backend (a VALUES list is compiled anew each time)
    session.execute(_mark_statement(dialect), [{"surname": s} for s in wanted])


@cache
def _mark_statement(dialect: str):
    if dialect == "postgresql":  # imported here: a SQLite user's process never needs PostgreSQL's dialect
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(UnsettledSurname.__table__).on_conflict_do_nothing()


#: Surnames asked about in one statement (well under SQLite's and PostgreSQL's limits on parameters).
CHUNK = 500


def settle_surnames(session: Session, surnames: Iterable[str] | None = None) -> int:
    """Settle ``surnames`` (default: every one waiting) in the caller's write transaction and take them off
    the waiting list; how many quote groups (one article's mention) moved."""
    session.flush()
    if surnames is None:
        surnames = session.scalars(select(UnsettledSurname.surname))
    todo = sorted({s for s in surnames if s})
    moved = 0
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start:start + CHUNK]
        moved += sum(_settle(session, surname) for surname in sorted(_with_bare_names(session, chunk)))
        session.execute(delete(UnsettledSurname).where(UnsettledSurname.surname.in_(chunk))
                        .execution_options(synchronize_session=False))
    return moved


def _with_bare_names(session: Session, surnames: list[str]) -> set[str]:
    """Those of ``surnames`` with something to settle: a bare mention, or a bare name a person holds through
    them (most surnames of a batch have neither, and two queries tell)."""
    person = (Speaker.surname.in_(surnames), Speaker.kind == "person")
    found = set(session.scalars(select(Speaker.surname).distinct().join(Quote, Quote.speaker_id == Speaker.id)
                                .where(*person, Quote.bare_name.is_not(None))))
    found |= set(session.scalars(select(Speaker.surname).distinct().join(SpeakerAlias)
                                 .where(*person, SpeakerAlias.settled.is_(True))))
    return found


def _is_bare(name: str) -> bool:
    return PersonName.parse(name).first is None


@dataclass
class _Group:
    """One article's quotes of one bare mention, with what the article said of that speaker."""

    article_id: int
    holder: int
    mention: BareMention
    quote_ids: list[int]
    orgs: frozenset[int] = frozenset()
    titles: frozenset[str] = frozenset()


def _settle(session: Session, surname: str) -> int:
    rows = {row.id: row for row in session.scalars(select(Speaker).where(
        Speaker.kind == "person", Speaker.named.is_(True), Speaker.surname == surname,
        Speaker.organization_id.is_(None)))}
    if not rows:
        return 0
    marked = session.execute(select(
        Quote.article_id, Quote.speaker_id, Quote.bare_name, Quote.bare_country, Quote.bare_country_source,
        Quote.id).where(Quote.speaker_id.in_(sorted(rows)), Quote.bare_name.is_not(None),
                        Quote.corrected.is_(False))).all()
    if not marked:
        full = [row for row in rows.values() if not _is_bare(row.name)]
        _person_aliases(session, surname, full, {}, {})
        return 0
    pinned = set(session.scalars(select(CurationRule.speaker_id).where(CurationRule.speaker_id.in_(sorted(rows)))))
    groups: dict[tuple, _Group] = {}
    for article_id, holder, name, country, source, quote_id in marked:
        if rows[holder].curated or holder in pinned:
            continue  # a person's work
        key = (article_id, holder, name, country, source)
        group = groups.setdefault(key, _Group(article_id, holder, BareMention(name, country, source), []))
        group.quote_ids.append(quote_id)
    if not groups:
        _person_aliases(session, surname, [row for row in rows.values() if not _is_bare(row.name)], {}, {})
        return 0
    said: dict[tuple[int, int], list[tuple[int | None, str | None, bool]]] = {}
    for speaker_id, article_id, org, title, inferred in session.execute(select(
            Affiliation.speaker_id, Affiliation.article_id, Affiliation.organization_id, Affiliation.title,
            Affiliation.inferred).where(Affiliation.speaker_id.in_(sorted({g.holder for g in groups.values()})))):
        said.setdefault((article_id, speaker_id), []).append((org, title, inferred))
    for g in groups.values():
        here = said.get((g.article_id, g.holder), [])
        # a body guessed from the article's setting says no more of the person than the guessed country
        g.orgs = frozenset(org for org, _, inferred in here if org and not inferred)
        g.titles = frozenset(_title_key(t) for _, t, _ in here if _title_key(t))
    full = sorted((row for row in rows.values() if not _is_bare(row.name)),
                  key=lambda row: (row.name, row.country or "", row.id))
    own = _own_evidence(session, [row.id for row in full])
    owners: dict[tuple, Speaker | None] = {}
    targets: dict[tuple, Speaker | None] = {}
    for key, g in sorted(groups.items(), key=lambda item: item[0]):
        evidence = (g.mention.name, g.mention.country, g.orgs, g.titles)
        if evidence not in owners:  # many mentions say the same: decided once
            owners[evidence] = _owner(g, full, own)
        targets[key] = owners[evidence]
    bare_targets = _bare_targets(session, {i: r for i, r in rows.items() if i not in pinned},
                                 {k: g for k, g in groups.items() if targets[k] is None})
    targets.update(bare_targets)
    moved, emptied = 0, set()
    for key, g in sorted(groups.items(), key=lambda item: item[0]):
        target = targets[key]
        if target.id == g.holder:
            continue
        session.execute(update(Quote).where(Quote.id.in_(g.quote_ids)).values(speaker_id=target.id)
                        .execution_options(synchronize_session=False))
        rest = session.scalar(select(func.count()).where(Quote.speaker_id == g.holder,
                                                         Quote.article_id == g.article_id))
        if not rest:  # the article's posts and bodies for the speaker were this mention's
            session.execute(update(Affiliation).where(
                Affiliation.speaker_id == g.holder, Affiliation.article_id == g.article_id)
                .values(speaker_id=target.id).execution_options(synchronize_session=False))
        emptied.add(g.holder)
        moved += 1
    for row in {id(t): t for t in bare_targets.values()}.values():
        names = {row.name} | {g.mention.name for k, g in groups.items() if targets[k] is row}
        _set_aliases(row, names)
    _person_aliases(session, surname, full, targets, groups)
    session.flush()
    if moved:
        session.expire_all()
        collect_orphans(session, emptied)
    return moved


def _own_evidence(session: Session, ids: list[int]) -> dict[int, tuple[int, set[int], set[str]]]:
    """For each full-named row: the articles, bodies and posts of its full-name mentions only (and the posts
    a person gave it), never those of bare mentions it holds now."""
    articles: dict[int, set[int]] = {i: set() for i in ids}
    orgs: dict[int, set[int]] = {i: set() for i in ids}
    titles: dict[int, set[str]] = {i: set() for i in ids}
    if not ids:
        return {}
    for speaker_id, article_id in session.execute(select(Quote.speaker_id, Quote.article_id).distinct().where(
            Quote.speaker_id.in_(ids), Quote.bare_name.is_(None))):
        articles[speaker_id].add(article_id)
    for speaker_id, article_id, org, title in session.execute(select(
            Affiliation.speaker_id, Affiliation.article_id, Affiliation.organization_id, Affiliation.title)
            .where(Affiliation.speaker_id.in_(ids))):
        if article_id is not None and article_id not in articles[speaker_id]:
            continue  # said with a bare surname: the question being settled, not evidence for it
        if org:
            orgs[speaker_id].add(org)
        if _title_key(title):
            titles[speaker_id].add(_title_key(title))
    return {i: (len(articles[i]), orgs[i], titles[i]) for i in ids}


def _owner(g: _Group, full: list[Speaker], own: dict[int, tuple[int, set[int], set[str]]]) -> Speaker | None:
    """The full-named person the mention stands for (resolution.surname_owner), judged on full-name
    evidence alone; ``full`` is in a fixed order (name, country), so ties never go by arrival."""
    bare = PersonName.parse(g.mention.name)
    fits = [row for row in full if bare.compatible(PersonName.parse(row.name))
            and not (g.mention.country and row.country and g.mention.country != row.country)
            and not (g.orgs and own[row.id][1] and not g.orgs & own[row.id][1])]
    return surname_owner(fits, {i: n for i, (n, _, _) in own.items()}, g.titles,
                         lambda: {i: posts for i, (_, _, posts) in own.items()})


def _bare_targets(session: Session, rows: dict[int, Speaker], unowned: dict[tuple, _Group]) -> dict[tuple, Speaker]:
    """The bare row each unowned mention goes to: one per name and stated country; a mention without a
    country joins the country stated in most articles for its name. Rows are found or made, and get the
    name, country and source their mentions give them."""
    stated: dict[str, dict[str, set[int]]] = {}  # name key -> country -> articles stating it
    for g in unowned.values():
        if g.mention.country:
            stated.setdefault(name_key(g.mention.name), {}).setdefault(g.mention.country, set()).add(g.article_id)
    best = {k: max(sorted(by_country), key=lambda c: len(by_country[c])) for k, by_country in stated.items()}
    slots: dict[tuple[str, str | None], list[_Group]] = {}
    where: dict[tuple, tuple[str, str | None]] = {}
    for key, g in unowned.items():
        k = name_key(g.mention.name)
        country = g.mention.country or best.get(k)
        where[key] = (k, country)
        slots.setdefault((k, country), []).append(g)
    bare_rows = sorted((row for row in rows.values() if _is_bare(row.name) and not row.curated),
                       key=lambda row: row.id)
    chosen: dict[tuple[str, str | None], Speaker] = {}
    taken: set[int] = set()
    for slot in sorted(slots, key=lambda s: (s[0], s[1] or "")):
        k, country = slot
        mentions = slots[slot]
        # a row already holding the slot's mentions, else one of its name and country, else a new one
        holders = {g.holder for g in mentions}
        free = [row for row in bare_rows if row.id not in taken and row.key == k]
        row = (next((r for r in free if r.id in holders), None)
               or next((r for r in free if r.country == country), None))
        if row is None:
            row = Speaker(name=mentions[0].mention.name, kind="person", named=True)
            set_speaker_name(row, row.name)
            session.add(row)
            session.flush()
        taken.add(row.id)
        name = min((g.mention.name for g in mentions), key=lambda n: (n.isupper(), n))
        if row.name != name:
            set_speaker_name(row, name)
        source = None
        for g in mentions:
            if g.mention.country == country and country:
                source = surer_source(source, g.mention.country_source)
        row.country, row.country_source = country, (source or "stated") if country else None
        chosen[slot] = row
    session.flush()
    return {key: chosen[slot] for key, slot in where.items()}


def _set_aliases(row: Speaker, names: set[str]) -> None:
    """Make ``names`` the (bare) row's only aliases."""
    for alias in [a for a in row.aliases if a.alias not in names]:
        row.aliases.remove(alias)
    for name in sorted(names):
        add_speaker_alias(row, name)


def _person_aliases(session: Session, surname: str, full: list[Speaker], targets: dict, groups: dict) -> None:
    """Give each full-named person of ``surname`` the bare names of the mentions they own now, marked
    ``settled``, and take away those they no longer own; names their own articles gave them stay."""
    for row in full:
        if row.curated:
            continue
        owned = {g.mention.name for k, g in groups.items() if targets.get(k) is row}
        for alias in [a for a in row.aliases if a.settled and a.alias not in owned]:
            row.aliases.remove(alias)
        have = {a.alias for a in row.aliases}
        for name in sorted(owned - have):
            if name_key(name):
                row.aliases.append(SpeakerAlias(alias=name, key=name_key(name), settled=True))
