"""The rows speaker resolution asks about, found as the database would give them after a flush, without one.

Storing an article resolves each of its speakers in turn (store.resolution), and each answer must see the rows
the article made before it. Flushing before every question (SQLAlchemy's autoflush) costs an INSERT per row and
a unit of work per speaker; instead the article's rows stay pending until one flush at its end, and ``Candidates``
answers each question from what the database holds plus what is pending in the session.

``preload`` reads, in one query each, the people of every name key and surname the article's speakers will ask
about, so those questions need no query at all: the answer is the preloaded rows plus the rows changed in the
session since (pending ones, and those a flush wrote after the preload, noted by a ``before_flush`` listener),
filtered on their values in memory. A question outside what was preloaded (curation, people import) asks the
database. Either way the rows come in ``ORDER BY id`` order, a row not yet flushed after every stored one in the
order it was added: the ids a flush gives it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from sqlalchemy import Select, bindparam, event, inspect, select
from sqlalchemy.orm import Session

from .models import Affiliation, Organization, OrganizationAlias, Speaker, SpeakerAlias

#: Keys asked about in one statement (well under SQLite's and PostgreSQL's limits on parameters).
CHUNK = 500

#: Session.info key of the list a session's flushes note their new and changed rows in, while a preload lasts.
_NOTED = "quotes_candidates_noted"


@cache
def _statements() -> dict[str, Select]:
    """The frequent queries, built once with parameters (building and keying a statement costs more than
    SQLite takes to run it)."""
    def named(kind) -> Select:
        return select(Speaker).where(Speaker.kind == kind, Speaker.named.is_(True))

    return {
        "org_by_canon": select(Organization).join(OrganizationAlias)
        .where(OrganizationAlias.canon == bindparam("canon")).order_by(Organization.id).limit(1),
        "canon_owner": select(OrganizationAlias.organization_id).where(OrganizationAlias.canon == bindparam("canon"))
        .limit(1),
        "orgs_of": select(Affiliation.organization_id).where(Affiliation.speaker_id == bindparam("speaker"),
                                                             Affiliation.organization_id.is_not(None)),
        "with_alias": named(bindparam("kind")).join(SpeakerAlias)
        .where(SpeakerAlias.key.in_(bindparam("keys", expanding=True))).distinct().order_by(Speaker.id),
        "same_surname": named("person").where(Speaker.surname == bindparam("surname"),
                                              Speaker.id != bindparam("exclude")).order_by(Speaker.id),
        "org_speaker": named("organization").where(Speaker.organization_id == bindparam("org"))
        .order_by(Speaker.id).limit(1),
        "preload_aliases": select(Speaker, SpeakerAlias.key).join(SpeakerAlias)
        .where(Speaker.named.is_(True), SpeakerAlias.key.in_(bindparam("keys", expanding=True))),
        "preload_surnames": named("person").where(Speaker.surname.in_(bindparam("surnames", expanding=True))),
        "preload_canons": select(Organization, OrganizationAlias.canon).join(OrganizationAlias)
        .where(OrganizationAlias.canon.in_(bindparam("canons", expanding=True))),
        "preload_org_speakers": named("organization")
        .where(Speaker.organization_id.in_(bindparam("orgs", expanding=True))),
    }


def row_order(row: Speaker | Organization) -> tuple[bool, int]:
    """Where a row comes in ``ORDER BY id``: a row not flushed yet after every stored one, in the order it
    was added (the order a flush gives ids in)."""
    if row.id is not None:
        return False, row.id
    return True, inspect(row).insert_order


def in_row_order(rows: Iterable, more: Iterable = ()) -> list:
    """``rows`` and ``more`` together, each once, in id order (row_order)."""
    return sorted(dict.fromkeys([*rows, *more]), key=row_order)


def organization_id_of(row: Speaker) -> int | None:
    """The organisation a speaker row is the voice of, set in this session or stored (organization_id is
    only filled in by a flush)."""
    if "organization" in row.__dict__:  # the relationship was set or loaded: it has the last word
        org = row.__dict__["organization"]
        return org.id if org is not None else None
    return row.organization_id


def _of_kind(row: Speaker, kind: str) -> bool:
    """Whether ``row`` is a named speaker of ``kind``; a row not flushed yet may still lack the columns'
    defaults (named, and kind "person"), which its INSERT gives it."""
    return (row.kind or "person") == kind and row.named is not False


def _note_flush(session: Session, _context, _instances) -> None:
    noted = session.info.get(_NOTED)
    if noted is not None:
        noted.extend(session.new)
        noted.extend(session.dirty)


class Candidates:
    """Answers to the resolver's frequent questions, the session's unflushed rows included."""

    def __init__(self, session: Session):
        self.session = session
        self._by_key: dict[tuple[str, str], list[Speaker]] | None = None  # (kind, alias key) -> rows
        self._by_surname: dict[str, list[Speaker]] = {}
        self._by_canon: dict[str, Organization | None] = {}  # the first organisation of each canonical key
        self._org_speakers: dict[int, list[Speaker]] = {}  # stored named speakers of each preloaded organisation
        self._noted: list = []  # rows flushed since the preload
        self._orgs_of: dict[int, set[int]] = {}  # stored posts' organisations of each speaker asked, once preloaded

    # -- what changed in the session ------------------------------------------------------------
    def _changed(self, kind: type, flushed: bool) -> list:
        """Rows of ``kind`` new or changed in the session, and with ``flushed`` those flushed since the preload."""
        objects = [*self._noted] if flushed else []
        objects += self.session.new
        if kind is Speaker:
            objects += self.session.dirty
        return [obj for obj in objects if isinstance(obj, kind)]

    # -- preloading -----------------------------------------------------------------------------
    def preload(self, keys: Iterable[tuple[str, str]], surnames: Iterable[str], canons: Iterable[str] = ()) -> None:
        """Read the named rows having an alias of each (kind, name key) of ``keys``, the named people of each
        of ``surnames`` and the organisations of each canonical key of ``canons``, so that questions about them
        need no query while the transaction lasts. A further preload reads only what the earlier ones did not
        (their rows stay, and so does the note of the rows flushed since the first)."""
        if _NOTED not in self.session.info:
            event.listen(self.session, "before_flush", _note_flush)
        if self._by_key is None:
            self._noted = self.session.info[_NOTED] = []
            self._by_key = {}
        fresh = set(keys) - self._by_key.keys()
        for key in fresh:
            self._by_key[key] = []
        wanted = sorted({key for _, key in fresh})
        surnames = sorted(set(surnames) - self._by_surname.keys())
        canons = sorted(set(canons) - self._by_canon.keys())
        with self.session.no_autoflush:
            for row, key in self._in_chunks("preload_aliases", "keys", wanted, self.session.execute):
                found = self._by_key.get((row.kind, key)) if (row.kind, key) in fresh else None
                if found is not None and row not in found:
                    found.append(row)
            for surname in surnames:
                self._by_surname[surname] = []
            for row in self._in_chunks("preload_surnames", "surnames", surnames):
                self._by_surname[row.surname].append(row)
            for canon in canons:
                self._by_canon[canon] = None
            for org, canon in self._in_chunks("preload_canons", "canons", canons, self.session.execute):
                first = self._by_canon[canon]
                if first is None or org.id < first.id:
                    self._by_canon[canon] = org
            # and the speakers of those organisations: each is asked for its voice (org_speaker)
            org_ids = sorted({org.id for org in map(self._by_canon.get, canons) if org is not None}
                             - self._org_speakers.keys())
            for org_id in org_ids:
                self._org_speakers[org_id] = []
            for row in self._in_chunks("preload_org_speakers", "orgs", org_ids):
                self._org_speakers[row.organization_id].append(row)

    def _in_chunks(self, statement: str, param: str, values: list, run=None) -> Iterator:
        """The rows of a preload statement for ``values``, CHUNK of them at a time (``run``: the session's
        execute for whole rows; its scalars by default)."""
        run = run or self.session.scalars
        for start in range(0, len(values), CHUNK):
            yield from run(_statements()[statement], {param: values[start:start + CHUNK]})

    # -- speakers -------------------------------------------------------------------------------
    def with_alias(self, keys: Iterable[str], kind: str) -> list[Speaker]:
        """Named rows of ``kind`` with an alias whose key is one of ``keys``, by id."""
        keys = set(keys)
        if not keys:
            return []
        preloaded = self._by_key is not None and all((kind, key) in self._by_key for key in keys)
        if preloaded:
            rows = [row for key in keys for row in self._by_key[(kind, key)]]
        else:
            with self.session.no_autoflush:
                rows = list(self.session.scalars(_statements()["with_alias"], {"kind": kind, "keys": list(keys)}))
        more = [a.speaker for a in self._changed(SpeakerAlias, preloaded) if a.key in keys]
        return in_row_order(rows, (row for row in more if _of_kind(row, kind)))

    def same_surname(self, surname: str, exclude: int | None) -> list[Speaker]:
        """Named people whose surname is ``surname``, but row ``exclude``, by id."""
        preloaded = surname in self._by_surname
        if preloaded:
            rows = list(self._by_surname[surname])
        else:
            with self.session.no_autoflush:
                rows = list(self.session.scalars(_statements()["same_surname"],
                                                 {"surname": surname, "exclude": exclude or 0}))
        more = [row for row in self._changed(Speaker, preloaded) if _of_kind(row, "person")]
        return [row for row in in_row_order(rows, more)
                if row.surname == surname and (row.id is None or row.id != exclude)]

    def org_speaker(self, org) -> Speaker | None:
        """The first named organisation speaker that is the voice of organisation ``org`` (a row, or a stand-in
        with the id of none)."""
        org_id = org.id
        preloaded = org_id in self._org_speakers
        if preloaded:
            rows = self._org_speakers[org_id]
        elif not isinstance(org, Organization) or inspect(org).pending:
            rows = []  # not stored yet: no stored speaker can point at it
        else:
            with self.session.no_autoflush:
                rows = [self.session.scalar(_statements()["org_speaker"], {"org": org_id})]
        more = self._changed(Speaker, preloaded)
        return min((s for s in filter(None, [*rows, *more])
                    if _of_kind(s, "organization") and organization_id_of(s) == org_id), key=row_order, default=None)

    def organizations_of(self, speaker: Speaker) -> set[int]:
        """Ids of the organisations of the speaker's posts (stored, and added to the session). Once preloaded,
        each speaker's stored posts are read once: posts a flush writes later are among the rows it noted."""
        ids: set[int] = set()
        preloaded = self._by_key is not None
        if speaker.id is not None:
            stored = self._orgs_of.get(speaker.id) if preloaded else None
            if stored is None:
                with self.session.no_autoflush:
                    stored = set(self.session.scalars(_statements()["orgs_of"], {"speaker": speaker.id}))
                if preloaded:
                    self._orgs_of[speaker.id] = stored
            ids = set(stored)
        ids |= {a.organization.id for a in self._changed(Affiliation, preloaded)
                if a.speaker is speaker and a.organization is not None}
        return ids

    # -- organisations --------------------------------------------------------------------------
    def org_by_canon(self, canon: str) -> Organization | None:
        """The first organisation with a wording of canonical key ``canon``."""
        preloaded = canon in self._by_canon
        if preloaded:
            found = self._by_canon[canon]
        else:
            with self.session.no_autoflush:
                found = self.session.scalar(_statements()["org_by_canon"], {"canon": canon})
        more = [a.organization for a in self._changed(OrganizationAlias, preloaded) if a.canon == canon]
        return min(filter(None, [found, *more]), key=row_order, default=None)

    def canon_owner(self, canon: str) -> int | None:
        """The id of an organisation with a wording of canonical key ``canon``, if any."""
        with self.session.no_autoflush:
            owner = self.session.scalar(_statements()["canon_owner"], {"canon": canon})
        if owner is None:  # a wording of this article, not flushed yet
            owner = next((a.organization.id for a in self._changed(OrganizationAlias, False) if a.canon == canon),
                         None)
        return owner
