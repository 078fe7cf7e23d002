"""Export quotes with their speakers and articles, and import such an export into another database.

The jsonl and json exports hold every row of every table (or, with filters, the chosen quotes and
the rows they need), column for column, so an import into an empty database gives back the same
database, ids included. An import into a database that already holds data merges: articles already
there (same text) keep their quotes, speakers and organisations with the same name, kind and
country are the same, and every id is renumbered. The csv export is one flat row per quote for
spreadsheets; it cannot be imported.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, TextIO

import math

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Table, Text, func, insert, select, text
from sqlalchemy.orm import Session

from . import lookup
from .db import begin_write, reset_sequences
from .models import ORGANIZATION_KINDS, QUOTE_KINDS, SPEAKER_KINDS, Base, Quote, Speaker
from .surnames import settle_surnames

FORMAT = "quotes-export"
VERSION = 1
#: Key naming a jsonl record's table (no column is called that).
TABLE_KEY = "_table"
#: Key of the jsonl export's last line, which counts the rows of each table: an export cut short
#: (a full disk, a copy stopped half-way) lacks it, and is refused whole rather than imported in part.
END_KEY = "_end"
#: Columns whose values are one of a few words.
CHOICES = {("quotes", "kind"): QUOTE_KINDS, ("speakers", "kind"): SPEAKER_KINDS,
           ("organizations", "kind"): ORGANIZATION_KINDS}
#: The largest integer SQLite stores.
MAX_INT = 2 ** 63 - 1
BATCH = 2000

#: Merging into a database that holds data: rows of these tables are the same row when these
#: columns are equal. Speakers that are descriptions ("a source", named false) are never merged.
NATURAL_KEYS = {
    "articles": ("content_hash",),
    "organizations": ("key", "country"),
    "speakers": ("key", "kind", "country"),
    "speaker_aliases": ("speaker_id", "alias"),
    # posts a person gave (no article); those of an article come and go with it (ARTICLE_ROWS)
    "affiliations": ("speaker_id", "organization_id", "title", "article_id"),
    "organization_aliases": ("organization_id", "alias"),
    "corrections": ("created_at", "action", "target", "detail"),
    "curation_rules": ("correction_id", "action", "content_hash", "start", "end"),
}
#: Tables whose rows have a country and its country_source.
COUNTRY_TABLES = ("speakers", "organizations")
#: Rows that belong to one article: when the article was already there, they are too.
ARTICLE_ROWS = ("quotes", "affiliations")


class ExchangeError(ValueError):
    """An export that cannot be imported; the message is one line naming the place and the problem."""


def tables() -> list[Table]:
    """The exported tables, parents before children; not those the database derives itself."""
    return [t for t in Base.metadata.sorted_tables if not t.info.get("derived")]


def _columns(t: Table) -> list:
    return [c for c in t.columns if not c.info.get("derived")]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def schema_revision(session: Session) -> str | None:
    """The database's Alembic revision."""
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar()


# -- export -----------------------------------------------------------------------------------------

def _selected_ids(session: Session, filters: dict[str, Any]) -> dict[str, set[int]] | None:
    """Ids of the rows a filtered export holds, by table; None for everything."""
    if not lookup.filtering(filters):
        return None
    quote_rows = session.execute(lookup.quote_filter(
        select(Quote.id, Quote.article_id, Quote.speaker_id), session=session, **filters)).all()
    ids: dict[str, set[int]] = defaultdict(set)
    for qid, aid, sid in quote_rows:
        ids["quotes"].add(qid)
        ids["articles"].add(aid)
        if sid is not None:
            ids["speakers"].add(sid)
    return ids


def _rows(session: Session, t: Table, ids: dict[str, set[int]] | None) -> Iterator[dict[str, Any]]:
    """The rows of ``t`` to export, as plain dicts, by id."""
    cols = _columns(t)
    stmt = select(*cols).order_by(t.c.id)
    if ids is not None:
        if t.name in ("quotes", "articles", "speakers"):
            wanted = ids[t.name]
        elif t.name in ("speaker_aliases", "organization_aliases", "affiliations", "curation_rules",
                        "corrections", "organizations"):
            wanted = _dependents(session, t, ids)
        else:  # a table this filtered export knows nothing of
            return
        ids[t.name] = wanted
        for chunk in _chunks(sorted(wanted), 500):
            for row in session.execute(stmt.where(t.c.id.in_(chunk))):
                yield {c.name: _plain(v) for c, v in zip(cols, row)}
        return
    for row in session.execute(stmt.execution_options(yield_per=BATCH)):
        yield {c.name: _plain(v) for c, v in zip(cols, row)}


def _dependents(session: Session, t: Table, ids: dict[str, set[int]]) -> set[int]:
    """Ids of ``t``'s rows that a filtered export needs for its quotes, speakers and articles."""
    c = t.c
    found: set[int] = set()

    def add(stmt) -> None:
        found.update(session.execute(stmt).scalars())

    if t.name == "organizations":  # tables come parents first: work out the affiliations now
        affiliations = Base.metadata.tables["affiliations"]
        affs: set[int] = set()
        for chunk in _chunks(sorted(ids["speakers"]), 500):
            for aid, art, org in session.execute(
                    select(affiliations.c.id, affiliations.c.article_id, affiliations.c.organization_id)
                    .where(affiliations.c.speaker_id.in_(chunk))):
                if art is None or art in ids["articles"]:  # no article: a post a person gave
                    affs.add(aid)
                    if org is not None:
                        found.add(org)
            add(select(Speaker.organization_id).where(Speaker.id.in_(chunk),
                                                       Speaker.organization_id.is_not(None)))
        ids["affiliations"] = affs
    elif t.name == "affiliations":
        return ids.get("affiliations", set())
    elif t.name == "speaker_aliases":
        for chunk in _chunks(sorted(ids["speakers"]), 500):
            add(select(c.id).where(c.speaker_id.in_(chunk)))
    elif t.name == "organization_aliases":
        for chunk in _chunks(sorted(ids["organizations"]), 500):
            add(select(c.id).where(c.organization_id.in_(chunk)))
    elif t.name == "corrections":  # those whose curation rules point at exported articles
        rules = Base.metadata.tables["curation_rules"]
        for chunk in _chunks(sorted(ids["articles"]), 500):
            add(select(rules.c.correction_id).where(rules.c.article_id.in_(chunk)))
    elif t.name == "curation_rules":
        for chunk in _chunks(sorted(ids.get("corrections", ())), 500):
            found.update(rule for rule, article in session.execute(
                select(c.id, c.article_id).where(c.correction_id.in_(chunk))) if article in ids["articles"])
    return found


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _header(session: Session, counts: dict[str, int] | None = None) -> dict[str, Any]:
    head = {"format": FORMAT, "version": VERSION, "schema": schema_revision(session),
            "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    if counts is not None:
        head["counts"] = counts
    return head


def export(session: Session, out: TextIO, fmt: str = "jsonl", *, header: bool = True,
           **filters: Any) -> dict[str, int]:
    """Write the quotes passing ``filters`` (all without), with the rows they need, to ``out``.

    jsonl: a header line, then one row per line with its table under ``_table``, parents first.
    json: the header's fields and ``tables``, each a list of rows. csv (tsv): one row per quote with its
    speaker and article (not importable), after a line of column names unless not ``header``. Returns the
    number of rows written per table.
    """
    if fmt in ("csv", "tsv"):
        return {"quotes": _export_csv(session, out, filters, "\t" if fmt == "tsv" else ",", header)}
    ids = _selected_ids(session, filters)
    counts: dict[str, int] = {}
    if fmt == "jsonl":
        out.write(json.dumps({**_header(session), "end_line": True}, ensure_ascii=False) + "\n")
        for t in tables():
            counts[t.name] = 0
            for row in _rows(session, t, ids):
                out.write(json.dumps({TABLE_KEY: t.name, **row}, ensure_ascii=False) + "\n")
                counts[t.name] += 1
        out.write(json.dumps({END_KEY: True, "counts": counts}) + "\n")
        return counts
    if fmt != "json":
        raise ValueError(f"unknown export format {fmt!r}")
    data = {t.name: list(_rows(session, t, ids)) for t in tables()}
    counts = {name: len(rows) for name, rows in data.items()}
    json.dump({**_header(session, counts), "tables": data}, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return counts


#: The csv export's columns: the quote, its speaker as seen in its article, and the article.
CSV_COLUMNS = ("id", "text", "kind", "speaker", "speaker_kind", "title", "organization", "country",
               "country_source", "speaker_mention", "cue", "confidence", "method", "start", "end", "article_id",
               "article_title", "outlet", "published", "url", "file")


def _export_csv(session: Session, out: TextIO, filters: dict[str, Any], delimiter: str = ",",
                header: bool = True) -> int:
    import csv

    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n",
                            delimiter=delimiter)
    if header:
        writer.writeheader()
    n = 0
    last = 0
    while True:  # pages by id: a million quotes never sit in memory at once
        stmt = lookup.quote_filter(lookup.quotes_select(), session=session, joined=True, **filters)
        page = session.execute(stmt.where(Quote.id > last).order_by(Quote.id).limit(BATCH)).all()
        if not page:
            return n
        for row in lookup.quote_dicts(session, page):
            writer.writerow(row)
        n += len(page)
        last = page[-1][0]


# -- import -----------------------------------------------------------------------------------------

@dataclass
class ImportResult:
    """What an import did, per table."""

    merged_into_existing: bool = False
    added: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    already: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # the same row was there
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # refers to a missing row

    def summary(self) -> str:
        """One line: rows added, already there and skipped, by table."""
        parts = []
        for name in (t.name for t in tables()):
            a, b, c = self.added.get(name, 0), self.already.get(name, 0), self.skipped.get(name, 0)
            if a or b or c:
                extra = ", ".join(x for x in (f"{b} already there" if b else "",
                                              f"{c} skipped" if c else "") if x)
                parts.append(f"{a} {name}" + (f" ({extra})" if extra else ""))
        return "imported " + ("; ".join(parts) if parts else "nothing")


_CSV_HINT = "; csv exports cannot be imported: export with --format jsonl or json"


def read_export(stream: TextIO, source: str) -> tuple[dict[str, Any], Iterator[tuple[str, str, dict]]]:
    """The header of an export and its rows as (where, table, row); jsonl or json, told by content."""
    first = stream.readline()
    while first and not first.strip():
        first = stream.readline()
    if not first:
        raise ExchangeError(f"{source}: empty file")
    try:
        head = json.loads(first)
        lines = not (isinstance(head, dict) and "tables" in head)  # json on one line
    except json.JSONDecodeError:  # pretty-printed json: the whole file is one value
        try:
            head = json.loads(first + stream.read())
        except json.JSONDecodeError as exc:
            raise ExchangeError(f"{source}: not a quotes export (invalid JSON at line {exc.lineno}, "
                                f"column {exc.colno}: {exc.msg}){_CSV_HINT if ',' in first else ''}") from None
        lines = False
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise ExchangeError(f"{source}: not a quotes export (no \"format\": \"{FORMAT}\")")
    if head.get("version") != VERSION:
        raise ExchangeError(f"{source}: export format version {head.get('version')!r}; this version of "
                            f"quotes reads version {VERSION}")
    if lines:
        return head, _jsonl_rows(stream, source, bool(head.get("end_line")))
    data = head.get("tables")
    if not isinstance(data, dict):
        raise ExchangeError(f"{source}: no \"tables\" object")
    counts = head.get("counts")
    if isinstance(counts, dict):  # what the export says it holds, against what it holds
        for name, n in counts.items():
            rows = data.get(name, [])
            if not isinstance(rows, list) or len(rows) != n:
                got = len(rows) if isinstance(rows, list) else "no list of"
                raise ExchangeError(f"{source}: inconsistent export: its header counts {n} {name} rows, "
                                    f"\"tables\" holds {got}")
    return head, ((f"{source}: tables.{name}[{i}]", name, row)
                  for name, rows in data.items() for i, row in enumerate(rows if isinstance(rows, list) else [rows]))


def _jsonl_rows(stream: TextIO, source: str, end_line: bool = False) -> Iterator[tuple[str, str, dict]]:
    """The rows of a jsonl export; with ``end_line`` (the header says the export ends with its counts), an
    export without that line, with rows after it or with other counts is refused (ExchangeError)."""
    counts: dict[str, int] = defaultdict(int)
    end: tuple[int, dict] | None = None
    lineno = 1
    for lineno, line in enumerate(stream, 2):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            problem = (f"at column {exc.colno}: {exc.msg}" if isinstance(exc, json.JSONDecodeError)
                       else "nested too deeply")
            raise ExchangeError(f"{where}: invalid JSON {problem}"
                                + (" (the export was cut short?)" if not line.endswith("\n") else "")) from None
        if not isinstance(row, dict):
            raise ExchangeError(f"{where}: a row must be a JSON object")
        if end is not None:
            raise ExchangeError(f"{where}: a row after the export's end line (line {end[0]})")
        if END_KEY in row:
            if not isinstance(row.get("counts"), dict):
                raise ExchangeError(f"{where}: the end line has no \"counts\" object")
            end = (lineno, row["counts"])
            continue
        name = row.pop(TABLE_KEY, None)
        counts[name] += 1
        yield where, name, row
    if not end_line and end is None:
        return  # an export from before end lines
    if end is None:
        raise ExchangeError(f"{source}: truncated export: it stops after line {lineno} without its end line "
                            f"(the export was cut short); nothing imported")
    for name in set(end[1]) | set(counts):
        if end[1].get(name, 0) != counts.get(name, 0):
            raise ExchangeError(f"{source}:{end[0]}: inconsistent export: the end line counts "
                                f"{end[1].get(name, 0)} {name} rows, the file holds {counts.get(name, 0)}; "
                                f"nothing imported")


def _converter(column):
    kind = column.type
    if isinstance(kind, DateTime):
        return lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v
    if isinstance(kind, Date):
        return lambda v: date.fromisoformat(v) if isinstance(v, str) else v
    if isinstance(kind, Boolean):
        return lambda v: bool(v) if v is not None else None
    return None


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from .db import alembic_config

    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def import_export(session: Session, stream: TextIO, source: str = "<stdin>") -> ImportResult:
    """Add an export's rows to the database in one transaction (nothing is added on error).

    Into an empty database every row keeps its id; otherwise rows are merged (see NATURAL_KEYS
    and ARTICLE_ROWS) and renumbered, references following.
    """
    head, rows = read_export(stream, source)
    schema = head.get("schema")
    if schema and schema not in _known_revisions():
        raise ExchangeError(f"{source}: exported from schema revision {schema}, which this version of "
                            f"quotes does not know (a newer one wrote it); upgrade quotes")
    by_name = {t.name: t for t in tables()}
    begin_write(session)
    try:
        importer = _Importer(session, by_name)
        result = importer.run(rows)
        # merged rows may change who a bare surname is, and an export carries no waiting list: settle every
        # surname with bare mentions (store.surnames), as the import is read whole anyway
        settle_surnames(session, session.scalars(select(Speaker.surname).distinct().join(
            Quote, Quote.speaker_id == Speaker.id).where(Quote.bare_name.is_not(None))))
        if importer.keep_ids:  # PostgreSQL's id sequences must follow the ids given, or the next insert fails
            reset_sequences(session, [name for name in importer.done if "id" in by_name[name].c])
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _bad_value(column, value: Any, choices: tuple[str, ...] | None) -> str | None:
    """Why ``value`` cannot go in ``column`` (its type, range or choices), or None; None is left to the
    database's NOT NULL."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, Boolean):
        return None if isinstance(value, bool) or value in (0, 1) else "not true or false"
    if isinstance(kind, Integer):
        if not isinstance(value, int) or isinstance(value, bool):
            return "not an integer"
        return None if -MAX_INT - 1 <= value <= MAX_INT else "too large"
    if isinstance(kind, Float):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return "not a number"
        return None if math.isfinite(value) else "not a finite number"
    if isinstance(kind, (String, Text)):
        if not isinstance(value, str):
            return "not a string"
        if choices is not None and value not in choices:
            return f"not one of {', '.join(choices)}"
    return None


class _Importer:
    """Inserts rows table by table, renumbering and merging when the database is not empty."""

    def __init__(self, session: Session, by_name: dict[str, Table]):
        self.session = session
        self.by_name = by_name
        self.conn = session.connection()
        self.keep_ids = all(self.conn.execute(select(func.count()).select_from(t)).scalar() == 0
                            for t in by_name.values())
        self.result = ImportResult(merged_into_existing=not self.keep_ids)
        self.ids: dict[str, dict[int, int]] = defaultdict(dict)  # old id -> id in this database
        self.old_articles: set[int] = set()  # articles (old ids) that were here already
        self.converters = {name: {c.name: _converter(c) for c in _columns(t)} for name, t in by_name.items()}
        self.done: list[str] = []  # tables finished, in the order met
        self.texts: dict[int, str] = {}  # the export's article texts by its ids, to check quotes against

    def run(self, rows: Iterable[tuple[str, str, dict]]) -> ImportResult:
        batch: list[tuple[str, dict]] = []
        current = None
        for where, name, row in rows:
            if name not in self.by_name:
                raise ExchangeError(f"{where}: unknown table {name!r}")
            if name != current:
                self._flush(current, batch)
                batch = []
                if name in self.done:
                    raise ExchangeError(f"{where}: rows of {name} must come together, parents first")
                current = name
            batch.append((where, row))
            if len(batch) >= BATCH:
                self._flush(current, batch)
                batch = []
        self._flush(current, batch)
        return self.result

    def _flush(self, name: str | None, batch: list[tuple[str, dict]]) -> None:
        if name is None:
            return
        if name not in self.done:
            self.done.append(name)
        if not batch:
            return
        t = self.by_name[name]
        prepared = [(where, old, values) for where, row in batch
                    if (found := self._prepare(t, where, row)) is not None for old, values in [found]]
        if self.keep_ids:
            fresh = prepared
        else:
            fresh = [p for p in prepared if not self._merged(t, p[1], p[2])]
        if not fresh:
            return
        if self.keep_ids:
            self.conn.execute(insert(t), [{"id": old, **values} for _, old, values in fresh])
            new_ids = [old for _, old, _ in fresh]
        else:
            new_ids = list(self.conn.execute(
                insert(t).returning(t.c.id, sort_by_parameter_order=True),
                [values for _, _, values in fresh]).scalars())
        for (_, old, _), new in zip(fresh, new_ids):
            self.ids[name][old] = new
        self.result.added[name] += len(fresh)

    def _prepare(self, t: Table, where: str, row: dict) -> tuple[int, dict] | None:
        """(old id, column values with references renumbered), or None to skip the row."""
        converters = self.converters[t.name]
        unknown = set(row) - set(converters) - {c.name for c in t.columns if c.info.get("derived")}
        if unknown:
            raise ExchangeError(f"{where}: {t.name} has no column {sorted(unknown)[0]!r}")
        old = row.get("id")
        if not isinstance(old, int) or isinstance(old, bool):
            raise ExchangeError(f"{where}: a {t.name} row needs an integer id")
        values: dict[str, Any] = {}
        for name, convert in converters.items():
            if name == "id" or name not in row:
                continue
            value = row[name]
            try:
                values[name] = convert(value) if convert else value
            except (TypeError, ValueError, OverflowError):
                raise ExchangeError(f"{where}: {t.name}.{name} {_shown(value)} is not a valid value") from None
            checked = value if isinstance(t.c[name].type, Boolean) else values[name]  # before bool() made it one
            problem = _bad_value(t.c[name], checked, CHOICES.get((t.name, name)))
            if problem:
                raise ExchangeError(f"{where}: {t.name}.{name} {_shown(value)} is not a valid value ({problem})")
        if t.name == "articles" and isinstance(values.get("text"), str):
            self.texts[old] = values["text"]
        if t.name == "quotes":
            self._check_quote(where, values)
        if t.name in COUNTRY_TABLES and "country_source" not in row:
            # an export from before country sources (schema 0003): filled in as the migration does
            values["country_source"] = ("curated" if values.get("curated") else "stated") \
                if values.get("country") else None
        for fk in t.foreign_keys:
            column, parent = fk.parent.name, fk.column.table.name
            ref = values.get(column)
            if ref is None:
                continue
            if parent == "articles" and t.name in ARTICLE_ROWS and ref in self.old_articles:
                self.result.already[t.name] += 1  # the article was here, with these rows
                return None
            if ref not in self.ids[parent]:
                # an article's post without its article is dropped, not made a post without one
                if fk.parent.nullable and not (parent == "articles" and t.name in ARTICLE_ROWS):
                    values[column] = None
                    continue
                self.result.skipped[t.name] += 1
                return None
            values[column] = self.ids[parent][ref]
        return old, values

    def _check_quote(self, where: str, values: dict) -> None:
        """A quote's offsets and words against its article's text in the export."""
        article = self.texts.get(values.get("article_id"))
        if article is None:
            return  # no such article in the export: skipped as a row whose parent is missing
        start, end = values.get("start"), values.get("end")
        if start is None or end is None or not 0 <= start <= end <= len(article) \
                or article[start:end] != values.get("text"):
            raise ExchangeError(f"{where}: quote at {start}-{end} does not match its article's text")
        s_start, s_end = values.get("speaker_start"), values.get("speaker_end")
        if s_start is not None and (s_end is None or not 0 <= s_start <= s_end <= len(article)):
            raise ExchangeError(f"{where}: speaker mention at {s_start}-{s_end} is outside its article's text")

    def _merged(self, t: Table, old: int, values: dict) -> bool:
        """Is the row already in the database? Then its id is noted and it is not added."""
        key = NATURAL_KEYS.get(t.name)
        if key is None:
            return False
        if t.name == "speakers" and values.get("named") is False:
            return False
        if t.name == "affiliations" and values.get("article_id") is not None:
            return False  # an article's rows: added with their article, or already there with it
        found = self.conn.execute(
            select(t.c.id).where(*(t.c[k].is_(None) if values.get(k) is None else t.c[k] == values.get(k)
                                   for k in key)).order_by(t.c.id).limit(1)).scalar()
        if found is None:
            return False
        self.ids[t.name][old] = found
        self.result.already[t.name] += 1
        if t.name == "articles":
            self.old_articles.add(old)
        return True


