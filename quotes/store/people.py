"""People and bodies a user knows about: read from CSV or JSON lines, kept as curated speakers, written back out.

A record has ``name`` (required), ``aliases`` (a list, or in CSV ``;``-separated), ``kind`` (person
or organization), ``country`` (a code or a name), ``organization`` and ``title`` (a person's post)
and ``wikidata`` (an item id such as Q567). Each record is resolved with the rules of cross-article
resolution (``SpeakerResolver.find``; a Wikidata id already stored finds its row first): a known
speaker is updated (the fuller name becomes canonical, the other stays an alias), an unknown one added. What a record sets is curated: its country outranks the
extractor's, its post is a post with no article (no re-extraction replaces it), and the rows stay
although no quote names them. Every record is checked before anything is stored; one bad record
refuses the whole file.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from quotes import records
from quotes.entities import countries

from .db import begin_write
from .models import SPEAKER_KINDS, Affiliation, Correction, Organization, Speaker, SpeakerAlias, name_key
from .resolution import (
    PersonName, SpeakerResolver, add_org_alias, add_speaker_alias, set_speaker_name, usable_org_alias,
)
from .surnames import settle_surnames

#: The fields of a record, in the order exports write them.
FIELDS = ("name", "aliases", "kind", "country", "organization", "title", "wikidata")
FORMATS = ("csv", "jsonl")
CURATED = "curated"
#: Longest name, title or organisation the tables hold.
MAX_TEXT = 300
#: "Q567", also as Wikidata writes it in query results ("http://www.wikidata.org/entity/Q567", "wd:Q567").
_WIKIDATA = re.compile(r"(?:https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/|wd:)?(Q[1-9]\d*)", re.IGNORECASE)
_KINDS = {"person": "person", "organization": "organization", "organisation": "organization"}


class PeopleError(ValueError):
    """A file of people that cannot be imported; one line naming the file, the line and the problem."""


@dataclass(frozen=True)
class PersonRecord:
    """One checked record of a people file."""

    name: str
    kind: str = "person"
    aliases: tuple[str, ...] = ()
    country: str | None = None  # ISO 3166-1 alpha-2
    organization: str | None = None
    title: str | None = None
    wikidata: str | None = None
    line: int = 0


@dataclass
class PeopleResult:
    """What an import did."""

    added: int = 0
    updated: int = 0

    def summary(self) -> str:
        """``N people imported: A added, U updated``."""
        n = self.added + self.updated
        return f"{n} {'person' if n == 1 else 'people'} imported: {self.added} added, {self.updated} updated"


# -- reading ----------------------------------------------------------------------------------------

def read_people(stream: TextIO, source: str) -> list[PersonRecord]:
    """Every record of a CSV file (a header line first) or a JSON lines file, told apart by the first
    character, each checked; PeopleError at the first bad one."""
    text = stream.read()
    first = text.lstrip()[:1]
    if not first:
        raise PeopleError(f"{source}: empty file (want a CSV header line, or JSON lines)")
    rows = _jsonl_rows(text, source) if first == "{" else _csv_rows(text, source)
    found: list[PersonRecord] = []
    items: dict[str, int] = {}
    for line, fields in rows:
        record = _record(fields, f"{source}:{line}", line)
        if record.wikidata:
            if record.wikidata in items:
                raise PeopleError(f"{source}:{line}: {record.wikidata} is given again (first at line "
                                  f"{items[record.wikidata]}); one line per person (in SPARQL, GROUP_CONCAT "
                                  f"or SAMPLE the values that repeat)")
            items[record.wikidata] = line
        found.append(record)
    return found


def _csv_rows(text: str, source: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
        columns = [c.strip().lower() for c in header]
        unknown = [c for c in columns if c not in FIELDS]
        if unknown:
            raise PeopleError(f"{source}:1: unknown column {unknown[0]!r} (the columns are {', '.join(FIELDS)})")
        twice = [c for c in columns if columns.count(c) > 1]
        if twice:
            raise PeopleError(f"{source}:1: column {twice[0]!r} appears twice")
        if "name" not in columns:
            raise PeopleError(f"{source}:1: no name column (the header names the columns: {', '.join(FIELDS)})")
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue  # a blank line
            if len(cells) > len(columns):
                raise PeopleError(f"{source}:{reader.line_num}: {len(cells)} cells, but the header has "
                                  f"{len(columns)} columns")
            fields = dict(zip(columns, cells))
            if isinstance(fields.get("aliases"), str):
                fields["aliases"] = fields["aliases"].split(";")
            yield reader.line_num, fields
    except csv.Error as exc:
        raise PeopleError(f"{source}:{reader.line_num}: not valid CSV ({exc})") from None


def _jsonl_rows(text: str, source: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            fields = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise PeopleError(f"{source}:{line}: invalid JSON at column {exc.colno}: {exc.msg}") from None
        if not isinstance(fields, dict):
            raise PeopleError(f"{source}:{line}: a record must be a JSON object")
        unknown = [k for k in fields if k not in FIELDS]
        if unknown:
            raise PeopleError(f"{source}:{line}: unknown field {unknown[0]!r} (the fields are {', '.join(FIELDS)})")
        if isinstance(fields.get("aliases"), str):
            fields["aliases"] = fields["aliases"].split(";")
        yield line, fields


def _text(fields: dict[str, Any], key: str, where: str) -> str | None:
    value = fields.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise PeopleError(f"{where}: {key} must be text, not {json.dumps(value)}")
    value = " ".join(value.split())
    if len(value) > MAX_TEXT:
        raise PeopleError(f"{where}: {key} is longer than {MAX_TEXT} characters")
    return value or None


def _record(fields: dict[str, Any], where: str, line: int) -> PersonRecord:
    """A checked record, or PeopleError naming ``where`` and the problem."""
    name = _text(fields, "name", where)
    if not name or not name_key(name):
        raise PeopleError(f"{where}: no name (every record needs one, with letters or digits)")
    kind = _KINDS.get((_text(fields, "kind", where) or "person").lower())
    if kind is None or kind not in SPEAKER_KINDS:
        raise PeopleError(f"{where}: unknown kind {fields.get('kind')!r} (person or organization)")
    aliases = fields.get("aliases") or []
    if not isinstance(aliases, list):
        raise PeopleError(f"{where}: aliases must be a list of names, or names separated by ';'")
    names = tuple(dict.fromkeys(a for a in (_text({"alias": a}, "alias", where) for a in aliases)
                                if a and name_key(a) and a != name))
    country = None
    wording = _text(fields, "country", where)
    if wording:
        country = countries.resolve_country_arg(wording)
        if country is None:
            raise PeopleError(f"{where}: unknown country {wording!r} (give an ISO code such as FR, or a name)")
    organization, title = _text(fields, "organization", where), _text(fields, "title", where)
    if kind == "organization":
        if organization or title:
            raise PeopleError(f"{where}: {name} is an organization: organization and title are for people")
        if country and countries.supranational(name):
            raise PeopleError(f"{where}: {name} is a supranational body, which has no country")
    if organization and not name_key(organization):
        raise PeopleError(f"{where}: organization {organization!r} has no letters or digits")
    wikidata = None
    item = _text(fields, "wikidata", where)
    if item:
        matched = _WIKIDATA.fullmatch(item)
        if not matched:
            raise PeopleError(f"{where}: wikidata {item!r} is not a Wikidata item id (Q and digits, such as Q567)")
        wikidata = matched.group(1).upper()
    return PersonRecord(name, kind, names, country, organization, title, wikidata, line)


# -- importing --------------------------------------------------------------------------------------

def import_people(session: Session, people: list[PersonRecord], source: str = "") -> PeopleResult:
    """Store checked records as curated speakers, in one transaction (nothing on an error); the import
    is logged as a correction."""
    begin_write(session)
    try:
        resolver = SpeakerResolver(session)
        result = PeopleResult()
        for record in people:
            if _one(resolver, record):
                result.added += 1
            else:
                result.updated += 1
        session.add(Correction(action="people-import", target=(source or "-")[:300],
                               detail=json.dumps({"added": result.added, "updated": result.updated})))
        # a person brought in may now own a bare surname, or make it ambiguous (store.surnames)
        settle_surnames(session, {PersonName.parse(r.name).surname_key for r in people if r.kind == "person"})
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def _find(resolver: SpeakerResolver, record: PersonRecord, sp: records.Speaker) -> Speaker | None:
    """The row ``record`` is: its Wikidata item's, else the one resolution matches (not one of another item)."""
    if record.wikidata:
        row = resolver.session.scalar(select(Speaker).where(
            Speaker.wikidata_id == record.wikidata, Speaker.kind == record.kind).order_by(Speaker.id).limit(1))
        if row is not None:
            return row
    row = resolver.find(sp)
    if row is not None and record.wikidata and row.wikidata_id and row.wikidata_id != record.wikidata:
        return None  # a namesake: another Wikidata item is another person
    return row


def _one(resolver: SpeakerResolver, record: PersonRecord) -> bool:
    """Add or update the row of one record; True when it is new."""
    session = resolver.session
    sp = records.Speaker(record.name, record.kind, aliases=list(record.aliases), title=record.title,
                         organization=record.organization, country=record.country,
                         country_source=CURATED if record.country else None)
    row = _find(resolver, record, sp)
    created = row is None
    org = None
    if record.kind == "organization":
        org = session.get(Organization, row.organization_id) if row is not None and row.organization_id else None
        if org is None:
            org = resolver.organization(record.name, record.country, CURATED)
            if row is None:
                row = Speaker(name=org.name, kind="organization", organization=org)
            else:  # a row from before organisations were linked to their speakers
                row.organization = org
    elif row is None:
        row = Speaker(name=record.name, kind="person")
    if created:
        set_speaker_name(row, row.name)
        session.add(row)
    elif record.kind == "person" and _fuller(record.name, row.name):
        set_speaker_name(row, record.name)  # the old name stays an alias
    for alias in (record.name, *record.aliases):
        add_speaker_alias(row, alias)
    row.curated = True
    if record.wikidata:
        row.wikidata_id = record.wikidata
    if record.country:
        row.country, row.country_source = record.country, CURATED
    if org is not None:
        org.curated = True
        if record.country:
            org.country, org.country_source = record.country, CURATED
        for alias in (record.name, *record.aliases):
            if usable_org_alias(alias):
                add_org_alias(org, alias)
    session.flush()
    if record.kind == "person" and (record.organization or record.title):
        _set_post(resolver, row, record)
    return created


def _fuller(name: str, than: str) -> bool:
    """Whether ``name`` says more than ``than``: more name parts, or longer ones ("Ida" for "I.")."""
    a, b = PersonName.parse(name), PersonName.parse(than)
    return (len(a.tokens), len(name_key(name))) > (len(b.tokens), len(name_key(than)))


def _set_post(resolver: SpeakerResolver, row: Speaker, record: PersonRecord) -> None:
    """Make the record's title and organisation the person's one post with no article."""
    session = resolver.session
    session.execute(delete(Affiliation).where(Affiliation.speaker_id == row.id, Affiliation.article_id.is_(None))
                    .execution_options(synchronize_session=False))
    session.expire(row, ["affiliations"])
    org = None
    if record.organization:
        org = resolver.organization(record.organization, row.country, row.country_source)
    session.add(Affiliation(speaker_id=row.id, organization_id=org.id if org else None, title=record.title))
    session.flush()


# -- exporting --------------------------------------------------------------------------------------

def people_rows(session: Session, *, curated_only: bool = False) -> Iterator[dict[str, Any]]:
    """Each named speaker as a record (FIELDS), by id: a person's post is the one a person gave, else
    the latest seen; a country or organisation guessed from an article is left out. ``curated_only``: the rows a
    person curated or imported."""
    stmt = select(Speaker).where(Speaker.named.is_(True)).order_by(Speaker.id)
    if curated_only:
        stmt = stmt.where(Speaker.curated.is_(True))
    for chunk in _chunks(list(session.scalars(stmt)), 500):
        ids = [row.id for row in chunk]
        aliases: dict[int, list[str]] = {i: [] for i in ids}
        for speaker_id, alias in session.execute(
                select(SpeakerAlias.speaker_id, SpeakerAlias.alias)
                .where(SpeakerAlias.speaker_id.in_(ids)).order_by(SpeakerAlias.id)):
            aliases[speaker_id].append(alias)
        posts: dict[int, tuple[str | None, str | None]] = {}
        # the last of each speaker's posts wins: given ones (no article) after all those seen
        for speaker_id, title, org, inferred in session.execute(
                select(Affiliation.speaker_id, Affiliation.title, Organization.name, Affiliation.inferred)
                .outerjoin(Organization, Affiliation.organization_id == Organization.id)
                .where(Affiliation.speaker_id.in_(ids))
                .order_by(Affiliation.article_id.is_(None), Affiliation.seen_on.is_not(None),
                          Affiliation.seen_on, Affiliation.id)):
            posts[speaker_id] = (title, None if inferred else org)  # a guessed body is no knowledge
        for row in chunk:
            title, org = posts.get(row.id, (None, None)) if row.kind == "person" else (None, None)
            yield {
                "name": row.name,
                "aliases": [a for a in aliases[row.id] if a != row.name],
                "kind": row.kind,
                "country": row.country if row.country_source != "article" else None,
                "organization": org,
                "title": title,
                "wikidata": row.wikidata_id,
            }


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def export_people(session: Session, out: TextIO, fmt: str = "csv", *, curated_only: bool = False) -> int:
    """Write the records of people_rows to ``out`` as CSV (aliases ``;``-separated) or JSON lines;
    returns how many. `quotes people import` reads either back."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown people format {fmt!r}")
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n") if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    n = 0
    for row in people_rows(session, curated_only=curated_only):
        if writer is not None:  # an alias holding ";" cannot be told apart in CSV: left out there
            writer.writerow({**row, "aliases": ";".join(a for a in row["aliases"] if ";" not in a)})
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n
