"""The ``quotes`` command line: ingest and extract articles, then query quotes and speakers."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import click

from quotes import __version__, query
from quotes.query import output
from quotes.reading.sources import InputError, read_paths
from quotes.records import Article
from quotes.store.db import DatabaseError, open_database, session_factory

#: Columns of the table format, per command.
QUOTE_COLUMNS = ("id", "article_id", "speaker", "country", "kind", "text")
QUOTE_HEADERS = ("id", "article", "speaker", "country", "kind", "quote")
SEARCH_COLUMNS = ("id", "article_id", "speaker", "country", "kind", "snippet")
SPEAKER_COLUMNS = ("id", "name", "kind", "country", "n_quotes", "n_articles", "titles", "organizations")
SPEAKER_HEADERS = ("id", "name", "kind", "country", "quotes", "articles", "titles", "organisations")
EXTRACT_COLUMNS = ("file", "start", "end", "kind", "speaker", "text")


@dataclass
class State:
    """Options of the ``quotes`` group that its commands share."""

    db: str | None = None


def _remember_db(ctx: click.Context, _param, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(State).db = value


def db_option(f):
    """``--db`` on a command as well as on the group."""
    return click.option("--db", metavar="PATH|URL", expose_value=False, callback=_remember_db,
                        help="Database file or SQLAlchemy URL (default: $QUOTES_DB, else quotes.db).")(f)


def format_option(choices: Sequence[str] = output.FORMATS, default: str = "table"):
    """``--format``."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format; json is one array, jsonl one object per line.")


class DateBound(click.ParamType):
    """A date as YYYY-MM-DD, or a month (YYYY-MM) or year (YYYY): its first day, or with
    ``end`` its last."""

    name = "date"

    def __init__(self, end: bool = False, partial: bool = True):
        self.end = end
        self.partial = partial

    def get_metavar(self, param, ctx=None) -> str:
        return "DATE"

    def convert(self, value, param, ctx):
        import calendar
        import re
        from datetime import date

        if isinstance(value, date):
            return value
        text = str(value).strip()
        partial = self.partial and re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", text)
        try:
            if partial:
                year, month = int(partial.group(1)), partial.group(2)
                if month is None:
                    return date(year, 12, 31) if self.end else date(year, 1, 1)
                month = int(month)
                return date(year, month, calendar.monthrange(year, month)[1] if self.end else 1)
            from quotes.reading.sources import parse_date

            return parse_date(text)
        except ValueError:
            forms = "YYYY-MM-DD, YYYY-MM or YYYY" if self.partial else "YYYY-MM-DD"
            self.fail(f"{value!r} is not a date (use {forms})", param, ctx)


def quote_filter_options(f):
    """The quote filters shared by list, search, who-said, stats and export."""
    for option in reversed((
        click.option("--speaker", metavar="NAME", help="Speaker name or alias (words, any case/accents)."),
        click.option("--country", metavar="CODE|NAME",
                     help="Speaker's country, or the country of an organisation they belong to."),
        click.option("--org", metavar="NAME", help="Organisation the speaker belongs to, or is."),
        click.option("--outlet", metavar="NAME", help="Outlet (words of its name, any case)."),
        click.option("--article", "article_id", type=int, metavar="ID", help="Only this article."),
        click.option("--kind", type=click.Choice(query.QUOTE_KINDS), help="Quote kind."),
        click.option("--since", type=DateBound(), help="Articles published on or after DATE."),
        click.option("--until", type=DateBound(end=True), help="Articles published on or before DATE."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), metavar="X",
                     help="Attribution confidence at least X (0-1)."),
        click.option("--attributed", is_flag=True, help="Only quotes with a speaker."),
    )):
        f = option(f)
    return f


def filter_options(f):
    """The quote filters and --limit, for list and search."""
    f = click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N quotes.")(f)
    return quote_filter_options(f)


def page_options(default_sort: str):
    """``--sort`` and ``--offset``, for list and search."""
    sorts = query.SORTS if default_sort == "relevance" else tuple(s for s in query.SORTS if s != "relevance")

    def decorate(f):
        f = click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N",
                         help="Skip the first N quotes (with --limit: pages).")(f)
        return click.option("--sort", type=click.Choice(sorts), default=default_sort, show_default=True,
                            help="Order: relevance (search), article (and position), newest, oldest, "
                                 "confidence.")(f)
    return decorate


def _session(ctx: click.Context):
    """A session on the migrated database; user-facing errors become one line."""
    state = ctx.ensure_object(State)
    try:
        engine = open_database(state.db)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
    session = session_factory(engine)()
    ctx.call_on_close(engine.dispose)
    ctx.call_on_close(session.close)
    return session


def _emit(rows: list[dict], fmt: str, columns: Sequence[str], headers: Sequence[str],
          empty: str, stretch: str = "text") -> None:
    if not rows and fmt == "table":
        click.echo(empty, err=True)
        return
    output.write(rows, fmt, sys.stdout, columns=columns, headers=headers, stretch=stretch)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH|URL", envvar="QUOTES_DB",
              help="Database file or SQLAlchemy URL (default: $QUOTES_DB, else quotes.db).")
@click.version_option(__version__, prog_name="quotes")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Find quoted statements in news articles, attribute them to their speakers, and query them.

    \b
    Example:
      quotes ingest articles/
      quotes list --country FR --org "European Union"
      quotes search '"climate change"' --format json
    """
    ctx.ensure_object(State).db = db


def _articles(paths: Sequence[str], failures: list[str], sources: dict | None = None, *,
              fields: dict[str, str] | None = None, meta: dict | None = None,
              on_skip: Callable[[], object] | None = None) -> Iterator[Article]:
    """Normalised articles from ``paths``; unreadable ones are reported on stderr and counted.

    With ``sources``, each article's raw text and offset map are kept there by source name, so that
    offsets can be reported against the file as given. ``fields`` renames JSON record keys;
    ``meta`` (outlet, published, url) overrides what the files say; ``on_skip`` is called for each
    input skipped."""
    from quotes.reading.normalize import normalize_with_offsets

    meta = {k: v for k, v in (meta or {}).items() if v}
    read = 0
    for item in read_paths(paths, fields=fields):
        if isinstance(item, InputError):
            problem = item
        elif meta.get("url") and read:  # one URL for two articles would make one replace the other
            problem = InputError(item.source, f"--url {meta['url']} was given for one article only, "
                                              f"and this is another")
        else:
            try:
                article, offsets = normalize_with_offsets(item, **meta)
                read += 1
                if sources is not None:
                    sources[article.source] = (item.text, offsets)
                yield article
                continue
            except InputError as exc:
                problem = exc
        failures.append(str(problem))
        _warn(f"skipped {problem}")
        if on_skip is not None:
            on_skip()


def _parse_fields(ctx, param, values: tuple[str, ...]) -> dict[str, str]:
    from quotes.reading.sources import RECORD_FIELDS

    fields: dict[str, str] = {}
    for value in values:
        name, sep, key = value.partition("=")
        name, key = name.strip(), key.strip()
        if not sep or not key:
            raise click.BadParameter(f"{value!r} is not NAME=KEY (e.g. text=body)", ctx, param)
        if name not in RECORD_FIELDS:
            raise click.BadParameter(f"unknown field {name!r} in {value!r} (one of {', '.join(RECORD_FIELDS)})",
                                     ctx, param)
        fields[name] = key
    return fields


def input_options(f):
    """Per-run metadata and JSON field names, for ingest and extract."""
    for option in reversed((
        click.option("--outlet", metavar="NAME", help="Outlet of every article read (over what files say)."),
        click.option("--published", type=DateBound(partial=False),
                     help="Publication date (YYYY-MM-DD) of every article read."),
        click.option("--url", metavar="URL", help="URL of the article (one article only): a new text "
                                                  "for a stored URL replaces that article's quotes."),
        click.option("--field", "fields", multiple=True, metavar="NAME=KEY", callback=_parse_fields,
                     help="Read NAME (text, title, url, published, outlet, author) from KEY of JSON "
                          "records; a.b reaches nested keys. Repeatable."),
    )):
        f = option(f)
    return f


def _progress(total: int | None = None):
    """A progress bar on stderr (rate, and ETA when ``total`` is known), shown only on a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, unit=" articles", file=sys.stderr, disable=None, leave=False,
                dynamic_ncols=True)


def _warn(message: str) -> None:
    """One line on stderr that does not tear a running progress bar."""
    from tqdm import tqdm

    tqdm.write(message, file=sys.stderr)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes parsing in parallel.")
@db_option
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], workers: int, fields: dict[str, str],
           **meta) -> None:
    """Extract quotes from articles and store them.

    Articles whose text is already stored are skipped without parsing them again; a stored URL
    with a new text is updated (its quotes replaced), not added twice.

    PATH is a text, HTML (the page's main text, title, date, author and site), JSON or JSON lines
    file (records with text and optional title, url, published, outlet, author; see --field), a
    folder (searched recursively) or - for standard input.

    \b
    Example:
      quotes ingest news/2024/ extra.jsonl --workers 2
      quotes ingest feed.jsonl --field text=body --field published=meta.date --outlet "Daily Planet"
      curl -s https://example.org/story | quotes ingest - --url https://example.org/story
    """
    from time import perf_counter

    from quotes.store import storing as store
    from quotes.reading.batch import count_articles
    from quotes.pipeline.extract import extract_many  # loads spaCy: only the commands that extract import it

    total = count_articles(paths)
    if meta.get("url") and total is not None and total > 1:
        raise click.UsageError(f"--url names one article, but the input holds {total}")
    started = perf_counter()
    session = _session(ctx)
    failures: list[str] = []
    counts = {"added": 0, "unchanged": 0, "updated": 0}
    n_quotes = 0
    speakers: set[str] = set()
    new_speakers = 0
    bar = _progress(total)

    def fresh(articles: Iterator[Article]) -> Iterator[Article]:
        for article in articles:  # known text needs no parsing
            if store.find_article(session, article) is not None:
                counts["unchanged"] += 1
                bar.update()
                continue
            yield article

    with bar:
        articles = _articles(paths, failures, fields=fields, meta=meta, on_skip=bar.update)
        for extraction in extract_many(fresh(articles), workers=workers):
            if extraction.error:
                failures.append(f"{extraction.article.source}: {extraction.error}")
                _warn(f"skipped {failures[-1]}")
                bar.update()
                continue
            try:
                result = store.store_extraction(session, extraction)
            except store.StoreError as exc:
                failures.append(str(exc))
                _warn(f"skipped {exc}")
                continue
            finally:
                bar.update()
            counts[result.status] += 1
            n_quotes += result.n_quotes
            speakers.update(result.speakers)
            new_speakers += result.new_speakers
    summary = (f"{counts['added']} articles added, {counts['updated']} updated, "
               f"{counts['unchanged']} unchanged; {n_quotes} quotes, {len(speakers)} speakers "
               f"({new_speakers} new)")
    if failures:
        summary += f"; {len(failures)} skipped"
    elapsed = perf_counter() - started
    done = sum(counts.values()) + len(failures)
    summary += f" in {elapsed:.1f} s" + (f" ({done / elapsed:.1f} articles/s)" if done and elapsed else "")
    click.echo(summary, err=True)
    if failures:
        ctx.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@format_option(("jsonl", "json", "table", "csv"), default="jsonl")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes parsing in parallel.")
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], fmt: str, workers: int, fields: dict[str, str],
            **meta) -> None:
    """Print the quotes found in articles (no storing).

    jsonl prints one quote per line: file (the path as given), start, end, text, kind, speaker,
    speaker_mention, speaker_start, speaker_end, speaker_kind, title, organization, country, cue,
    confidence, method.

    \b
    Example:
      quotes extract article.txt --format table
    """
    from quotes.pipeline.extract import extract_many

    failures: list[str] = []
    stdout = sys.stdout
    collected: list[dict] = []
    sources: dict = {}
    articles = _articles(paths, failures, sources, fields=fields, meta=meta)
    for extraction in extract_many(articles, workers=workers):
        if extraction.error:
            failures.append(f"{extraction.article.source}: {extraction.error}")
            _warn(f"skipped {failures[-1]}")
            continue
        raw, offsets = sources.pop(extraction.article.source)
        rows = [_to_file_offsets(row, raw, offsets) for row in extraction.quote_dicts()]
        if fmt == "jsonl":  # stream: results appear as each article is done
            output.write(rows, "jsonl", stdout)
            stdout.flush()
        else:
            collected.extend(rows)
    if fmt != "jsonl":
        output.write(collected, fmt, stdout, columns=EXTRACT_COLUMNS, stretch="text")
    if failures:
        ctx.exit(1)


def _to_file_offsets(row: dict, raw: str, offsets) -> dict:
    """Point a quote's offsets, and its text, at the file as given rather than the normalised text."""
    row["start"], row["end"] = offsets.span(row["start"], row["end"])
    row["text"] = raw[row["start"]:row["end"]]
    if row.get("speaker_start") is not None:
        row["speaker_start"], row["speaker_end"] = offsets.span(row["speaker_start"], row["speaker_end"])
        row["speaker_mention"] = raw[row["speaker_start"]:row["speaker_end"]]
    return row


@main.command("list")
@filter_options
@page_options("article")
@format_option()
@db_option
@click.pass_context
def list_(ctx: click.Context, fmt: str, **filters) -> None:
    """List stored quotes.

    Filters combine: speaker, country, organisation, outlet, article, kind, dates, confidence.

    \b
    Example:
      quotes list --speaker Smith --country GB --format csv > smith.csv
      quotes list --outlet Reuters --since 2024-03 --sort newest --limit 20 --offset 20
    """
    session = _session(ctx)
    try:
        rows = query.list_quotes(session, **filters)
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    _emit(rows, fmt, QUOTE_COLUMNS, QUOTE_HEADERS, "No quotes found.")


@main.command()
@click.argument("text")
@filter_options
@page_options("relevance")
@format_option()
@db_option
@click.pass_context
def search(ctx: click.Context, text: str, fmt: str, **filters) -> None:
    """Full-text search of the quotes, best matches first.

    TEXT is an SQLite FTS5 query: words (all must occur), "an exact phrase", OR, NOT, prefix*.
    The table shows a snippet with the matches between ** and **; json, jsonl and csv add
    ``snippet`` and ``rank`` (bm25, lower is better) to each quote.

    \b
    Example:
      quotes search 'ceasefire OR truce' --country Armenia
      quotes search '"humanitarian corridor" negotiat*' --since 2023 --format json
    """
    session = _session(ctx)
    try:
        rows = query.search_quotes(session, text, **filters)
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    _emit(rows, fmt, SEARCH_COLUMNS, QUOTE_HEADERS, "No quotes found.", stretch="snippet")


@main.command("speakers")
@click.option("--country", metavar="CODE|NAME", help="Speaker's country, or that of their organisation.")
@click.option("--org", metavar="NAME", help="Organisation the speaker belongs to, or is.")
@click.option("--speaker", metavar="NAME", help="Name or alias (words, any case/accents).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N speakers.")
@click.option("--unnamed", is_flag=True, help="Also list descriptions such as 'a source' (one per article).")
@format_option()
@db_option
@click.pass_context
def speakers_(ctx: click.Context, fmt: str, **filters) -> None:
    """List speakers with their titles and counts.

    Each speaker once, most quoted first, with titles, organisations and aliases.

    \b
    Example:
      quotes speakers --country DE --format json
    """
    session = _session(ctx)
    try:
        rows = query.speakers(session, **filters)
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    _emit(rows, fmt, SPEAKER_COLUMNS, SPEAKER_HEADERS, "No speakers found.", stretch="name")


def _show_lines(q: dict) -> list[str]:
    article = q["article"]
    who = q["speaker"] or "(unattributed)"
    about = ", ".join(x for x in (q["speaker_kind"], q["country"]) if x)
    role = " of ".join(x for x in (q["title"], q["organization"]) if x)
    lines = [
        f"Quote {q['id']} ({q['kind']}, confidence {q['confidence']:.2f}"
        f"{', corrected' if q['corrected'] else ''})",
        f"  {q['text']}",
        f"Speaker: {who}" + (f" ({about})" if about else "") + (f" - {role}" if role else ""),
    ]
    if q["speaker_mention"]:
        lines.append(f"Mention: {q['speaker_mention']!r} at {q['speaker_start']}-{q['speaker_end']}"
                     + (f", cue {q['cue']!r}" if q["cue"] else ""))
    lines.append(f"Context ({q['context_start']}-{q['context_end']}):")
    lines.append(f"  {q['context'].strip()}")
    meta = ", ".join(str(x) for x in (article["outlet"], article["published"], article["url"]) if x)
    lines.append(f"Article {article['id']}: {article['title'] or '(untitled)'}"
                 + (f" ({meta})" if meta else ""))
    lines.append(f"Source: {article['source']}, characters {q['start']}-{q['end']}")
    return lines


@main.command()
@click.argument("quote_id", metavar="ID", type=int)
@format_option(("table", "json"))
@db_option
@click.pass_context
def show(ctx: click.Context, quote_id: int, fmt: str) -> None:
    """Show one quote with its sentence, speaker and article.

    \b
    Example:
      quotes show 42
    """
    session = _session(ctx)
    try:
        quote = query.show_quote(session, quote_id)
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(quote, ensure_ascii=False, indent=2))
    else:
        for line in _show_lines(quote):
            click.echo(line)


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Only the first N documents.")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes parsing in parallel.")
def eval_(gold: str, limit: int | None, workers: int) -> None:
    """Score the extractor on a gold JSONL file.

    Runs the shared evaluation protocol and prints its result as JSON.

    \b
    Example:
      quotes eval gold.jsonl --limit 20
    """
    from quotes.pipeline import evaluate
    from quotes.pipeline.extract import extract_many

    try:
        result = evaluate.evaluate_file(gold, lambda articles: extract_many(articles, workers=workers),
                                        limit=limit)
    except evaluate.GoldFormatError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(result, indent=1))


# -- entities and curation (issue 4): speaker profiles, organisations, corrections, reprocess -----

ORG_COLUMNS = ("id", "name", "kind", "country", "n_quotes", "n_people", "people")
ORG_HEADERS = ("id", "organisation", "kind", "country", "quotes", "people", "who")
CORRECTION_COLUMNS = ("id", "created_at", "action", "target", "summary")
CORRECTION_HEADERS = ("id", "when", "action", "target", "what")


def _profile_lines(p: dict) -> list[str]:
    about = ", ".join(x for x in (
        p["kind"], f"{p['country_name']} ({p['country']})" if p["country"] else None,
        None if p["named"] else "a description, not a name", "curated" if p["curated"] else None) if x)
    lines = [f"{p['name']} (#{p['id']}) - {about}"]
    if p["organization"]:
        o = p["organization"]
        lines.append(f"Organisation: #{o['id']} {o['name']} ({', '.join(x for x in (o['kind'], o['country']) if x)})")
    if p["aliases"]:
        lines.append("Also called: " + "; ".join(p["aliases"]))
    seen = " to ".join(dict.fromkeys(x for x in (p["first_seen"], p["last_seen"]) if x))
    lines.append(f"Quotes: {p['n_quotes']} in {p['n_articles']} articles"
                 + (f"; seen {seen}" if seen else ""))
    if p["affiliations"]:
        lines.append("Posts:")
        for a in p["affiliations"]:
            post = " of ".join(x for x in (a["title"], a["organization"]) if x)
            when = " to ".join(dict.fromkeys(x for x in (a["first_seen"], a["last_seen"]) if x))
            lines.append(f"  {post}" + (f" ({a['organization_country']})" if a["organization_country"] else "")
                         + f" - {a['n_articles']} article(s): " + ", ".join(map(str, a["articles"][:10]))
                         + (f"; {when}" if when else ""))
    if p["members"]:
        lines.append("People: " + "; ".join(f"{m['name']} ({m['n_quotes']})" for m in p["members"][:20]))
    if p["recent_quotes"]:
        lines.append("Recent quotes:")
        for q in p["recent_quotes"]:
            text = q["text"] if len(q["text"]) <= 160 else q["text"][:159] + "…"
            lines.append(f"  #{q['id']} [article {q['article_id']}{', ' + q['published'] if q['published'] else ''}]"
                         f" {output.cell(text)}")
    return lines


@main.command("speaker")
@click.argument("name")
@click.option("--recent", type=click.IntRange(min=0), default=5, show_default=True, metavar="N",
              help="How many recent quotes to show.")
@format_option(("table", "json"))
@db_option
@click.pass_context
def speaker_(ctx: click.Context, name: str, recent: int, fmt: str) -> None:
    """Show one speaker: names, country, posts over time, counts and recent quotes.

    NAME is a name, an alias, words of a name, or #ID. A name that fits several speakers lists them
    (exit status 1); pick one by #ID.

    \b
    Example:
      quotes speaker Hajiyev
      quotes speaker '#12' --format json
    """
    session = _session(ctx)
    try:
        profile = query.speaker_profile(session, name, recent=recent)
    except query.AmbiguousName as exc:
        _emit(exc.candidates, fmt, ("id", "name", "kind", "country", "n_quotes"),
              ("id", "name", "kind", "country", "quotes"), "", stretch="name")
        raise click.ClickException(str(exc)) from None
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(profile, ensure_ascii=False, indent=2))
    else:
        for line in _profile_lines(profile):
            click.echo(line)


@main.command("orgs")
@click.option("--country", metavar="CODE|NAME", help="Organisations of this country.")
@click.option("--kind", type=click.Choice(query.ORGANIZATION_KINDS), help="Organisation kind.")
@click.option("--org", metavar="NAME", help="Organisations with this name, wording or code (EU).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N organisations.")
@format_option()
@db_option
@click.pass_context
def orgs_(ctx: click.Context, fmt: str, **filters) -> None:
    """List organisations with their people and quote counts.

    Quotes count those of the organisation itself and of everyone seen as its member.

    \b
    Example:
      quotes orgs --country AM
      quotes orgs --kind international --format json
    """
    session = _session(ctx)
    try:
        rows = query.organizations(session, **filters)
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    _emit(rows, fmt, ORG_COLUMNS, ORG_HEADERS, "No organisations found.", stretch="people")


def _curate(ctx: click.Context, action, *args, **kwargs) -> None:
    """Run one curation function; its summary goes to stdout, its failure is one line."""
    from quotes.store import curation

    session = _session(ctx)
    try:
        done = action(curation, session, *args, **kwargs)
    except curation.CurationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{done.message} (correction #{done.correction.id})")


@main.command("merge-speakers")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="INTO")
@db_option
@click.pass_context
def merge_speakers_(ctx: click.Context, source: str, target: str) -> None:
    """Merge speaker FROM into speaker INTO: quotes, posts and every name.

    FROM and INTO are names, aliases or #IDs. The merge is kept when articles are reprocessed.

    \b
    Example:
      quotes merge-speakers 'H. Hajiev' 'Hikmet Hajiyev'
    """
    _curate(ctx, lambda c, s: c.merge_speakers(s, source, target))


@main.command("rename-speaker")
@click.argument("name")
@click.argument("new")
@db_option
@click.pass_context
def rename_speaker_(ctx: click.Context, name: str, new: str) -> None:
    """Give a speaker a new canonical name; the old one stays an alias.

    \b
    Example:
      quotes rename-speaker 'Josep Borrell' 'Josep Borrell Fontelles'
    """
    _curate(ctx, lambda c, s: c.rename_speaker(s, name, new))


@main.command("set-speaker")
@click.argument("quote_id", metavar="QUOTE_ID", type=int)
@click.argument("name")
@click.option("--kind", type=click.Choice(("person", "organization")), default="person", show_default=True,
              help="Kind of a speaker created by this command.")
@click.option("--country", metavar="CODE|NAME", help="Country of a speaker created by this command.")
@db_option
@click.pass_context
def set_speaker_(ctx: click.Context, quote_id: int, name: str, kind: str, country: str | None) -> None:
    """Attribute one quote to a speaker; '-' leaves it unattributed.

    NAME is an exact name, alias or #ID; an unknown name becomes a new speaker. The attribution
    survives `quotes reprocess` and re-ingesting the article.

    \b
    Example:
      quotes set-speaker 42 'Nikol Pashinyan'
      quotes set-speaker 43 -
    """
    _curate(ctx, lambda c, s: c.set_speaker(s, quote_id, name, kind=kind, country=country))


@main.command("set-country")
@click.argument("speaker")
@click.argument("code", metavar="CODE")
@db_option
@click.pass_context
def set_country_(ctx: click.Context, speaker: str, code: str) -> None:
    """Set a speaker's country (ISO code or name; '-' for none).

    \b
    Example:
      quotes set-country Dumoulin FR
    """
    _curate(ctx, lambda c, s: c.set_country(s, speaker, code))


@main.command("merge-orgs")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="INTO")
@db_option
@click.pass_context
def merge_orgs_(ctx: click.Context, source: str, target: str) -> None:
    """Merge organisation FROM into INTO: wordings, members and the speaker that is the body.

    \b
    Example:
      quotes merge-orgs 'Azerbaijani army' 'Azerbaijan’s Ministry of Defense'
    """
    _curate(ctx, lambda c, s: c.merge_organizations(s, source, target))


@main.command("rename-org")
@click.argument("name")
@click.argument("new")
@db_option
@click.pass_context
def rename_org_(ctx: click.Context, name: str, new: str) -> None:
    """Give an organisation a new name; the old one stays an alias.

    \b
    Example:
      quotes rename-org '#7' 'Ministry of Defence of Azerbaijan'
    """
    _curate(ctx, lambda c, s: c.rename_organization(s, name, new))


@main.command("set-org-country")
@click.argument("name")
@click.argument("code", metavar="CODE")
@db_option
@click.pass_context
def set_org_country_(ctx: click.Context, name: str, code: str) -> None:
    """Set an organisation's country (ISO code or name; '-' for none, as for the EU).

    \b
    Example:
      quotes set-org-country 'Coastal Council' NO
    """
    _curate(ctx, lambda c, s: c.set_organization_country(s, name, code))


@main.command("set-org-kind")
@click.argument("name")
@click.argument("kind")
@db_option
@click.pass_context
def set_org_kind_(ctx: click.Context, name: str, kind: str) -> None:
    """Set an organisation's kind: government, party, company, international, ngo, media or other.

    \b
    Example:
      quotes set-org-kind 'European Council on Foreign Relations' ngo
    """
    _curate(ctx, lambda c, s: c.set_organization_kind(s, name, kind))


@main.command("corrections")
@click.option("--action", metavar="NAME", help="Only this kind of correction (e.g. set-speaker).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Only the latest N.")
@format_option()
@db_option
@click.pass_context
def corrections_(ctx: click.Context, fmt: str, **filters) -> None:
    """List the manual corrections: what was changed, and when.

    \b
    Example:
      quotes corrections --limit 20
    """
    session = _session(ctx)
    rows = query.corrections(session, **filters)
    _emit(rows, fmt, CORRECTION_COLUMNS, CORRECTION_HEADERS, "No corrections.", stretch="summary")


@main.command("reprocess")
@click.option("--article", "article_ids", type=int, multiple=True, metavar="ID",
              help="Only this article (repeatable); default: every stored article.")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes parsing in parallel.")
@db_option
@click.pass_context
def reprocess(ctx: click.Context, article_ids: tuple[int, ...], workers: int) -> None:
    """Run extraction again on stored articles, keeping every manual correction.

    Use it after the extractor improved: each article's quotes and posts are replaced, corrections
    are applied again, and speakers left without quotes are removed.

    \b
    Example:
      quotes reprocess --workers 2
    """
    from sqlalchemy import select

    from quotes.store import storing as store
    from quotes.pipeline.extract import extract_many  # loads spaCy
    from quotes.store.models import Article as ArticleRow

    session = _session(ctx)
    ids = list(article_ids) or list(session.scalars(select(ArticleRow.id).order_by(ArticleRow.id)))
    known = set(session.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(ids))))
    missing = [i for i in ids if i not in known]
    if missing:
        raise click.ClickException(f"no article with id {', '.join(map(str, missing))}")

    def stored() -> Iterator[Article]:
        for article_id in ids:
            row = session.get(ArticleRow, article_id)
            yield Article(text=row.text, source=row.source, title=row.title, outlet=row.outlet, url=row.url,
                          published=row.published, author=row.author)

    failures: list[str] = []
    n_quotes = applied = missed = 0
    bar = _progress()
    with bar:
        for article_id, extraction in zip(ids, extract_many(stored(), workers=workers)):
            bar.update()
            where = extraction.article.source or f"article {article_id}"
            if extraction.error:
                failures.append(f"{where}: {extraction.error}")
                _warn(f"skipped {failures[-1]}")
                continue
            try:
                result = store.reprocess_extraction(session, article_id, extraction)
            except store.StoreError as exc:
                failures.append(str(exc))
                _warn(f"skipped {exc}")
                continue
            n_quotes += result.n_quotes
            applied += result.corrections
            missed += result.missed_corrections
    summary = (f"{len(ids) - len(failures)} articles reprocessed; {n_quotes} quotes; "
               f"{applied} corrections applied again")
    if missed:
        summary += f", {missed} no longer match a quote"
    if failures:
        summary += f"; {len(failures)} skipped"
    click.echo(summary, err=True)
    if failures:
        ctx.exit(1)


# -- finding who said it, counts, export and import (issue 5) ----------------------------------------

WHO_SAID_COLUMNS = ("id", "score", "speaker", "country", "published", "outlet", "text")
WHO_SAID_HEADERS = ("id", "match", "speaker", "country", "date", "outlet", "quote")
STATS_HEADERS = {"speaker": "speaker", "country": "country", "organization": "organisation",
                 "outlet": "outlet", "month": "month"}


@main.command("who-said")
@click.argument("phrase")
@quote_filter_options
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, metavar="N",
              help="At most N quotes.")
@format_option()
@db_option
@click.pass_context
def who_said_(ctx: click.Context, phrase: str, fmt: str, limit: int, **filters) -> None:
    """Who said PHRASE (or something close to it), where and when, best match first.

    The exact phrase first; failing that, quotes with all of its words, then with two of its
    rarest words. "match" is the share of the phrase's words a quote holds in order (1.00: all).
    The filters are those of list.

    \b
    Example:
      quotes who-said "we will not negotiate under fire"
      quotes who-said "a bridge to nowhere" --since 2024 --format json
    """
    session = _session(ctx)
    try:
        rows = query.who_said(session, phrase, limit=limit, **filters)
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    _emit(rows, fmt, WHO_SAID_COLUMNS, WHO_SAID_HEADERS, "Nobody said that, or anything close.")


def _stats_rows(result: dict) -> list[dict]:
    """Counts as flat rows (by, value, quotes, share), the totals first, for jsonl and csv."""
    rows = [{"by": "total", "value": name, "quotes": n, "share": None}
            for name, n in result["total"].items()]
    for dim in query.STATS_DIMENSIONS:
        rows.extend({"by": dim, **row} for row in result.get(dim, ()))
    return rows


@main.command("stats")
@quote_filter_options
@click.option("--by", "by", multiple=True, type=click.Choice(query.STATS_DIMENSIONS),
              help="What to count by (repeatable; default: all).")
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True, metavar="N",
              help="The N most quoted of each (months: the latest N); 0 for all.")
@format_option()
@db_option
@click.pass_context
def stats_(ctx: click.Context, fmt: str, by: tuple[str, ...], top: int, **filters) -> None:
    """Count quotes by speaker, country, organisation, outlet and month.

    Shares are of all the quotes counted (those passing the filters, which are those of list).
    A speaker's country and organisations get each quote the speaker said; unattributed quotes
    count in the totals, outlets and months only.

    \b
    Example:
      quotes stats
      quotes stats --by country --by month --since 2024 --format json
    """
    session = _session(ctx)
    try:
        result = query.stats(session, by=by or query.STATS_DIMENSIONS, top=top or None, **filters)
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if fmt != "table":
        output.write(_stats_rows(result), fmt, sys.stdout)
        return
    total = result["total"]
    click.echo(f"{total['quotes']:,} quotes in {total['articles']:,} articles, "
               f"{total['speakers']:,} speakers")
    for dim in query.STATS_DIMENSIONS:
        if dim not in result:
            continue
        click.echo("")
        rows = [{"value": r["value"] if r["value"] is not None else "(none)", "quotes": r["quotes"],
                 "share": f"{100 * r['share']:.1f}%"} for r in result[dim]]
        if not rows:
            click.echo(f"By {STATS_HEADERS[dim]}: nothing to count")
            continue
        for line in output.table(rows, ("value", "quotes", "share"), (STATS_HEADERS[dim], "quotes", "share"),
                                 stretch="value"):
            click.echo(line)


@main.command("export")
@quote_filter_options
@format_option(("jsonl", "json", "csv"), default="jsonl")
@click.option("--output", "-o", "dest", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              default="-", show_default=True, help="File to write (- for standard output).")
@db_option
@click.pass_context
def export_(ctx: click.Context, fmt: str, dest: str, **filters) -> None:
    """Export quotes with their speakers and articles.

    jsonl (one row per line, its table under "_table") and json hold every column of every row the
    quotes need (all rows without filters): `quotes import` reads them back, losing nothing. csv is
    one flat row per quote with its speaker and article, for spreadsheets.

    \b
    Example:
      quotes export -o everything.jsonl
      quotes export --country FR --since 2024 --format csv -o france.csv
    """
    from quotes.store import exchange

    session = _session(ctx)
    try:
        with click.open_file(dest, "w", encoding="utf-8", atomic=dest != "-") as out:
            counts = exchange.export(session, out, fmt, **filters)
    except query.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{dest}: cannot write ({exc.strerror or exc})") from None
    if dest != "-":
        others = ", ".join(f"{n} {name}" for name, n in counts.items() if name != "quotes" and n)
        click.echo(f"exported {counts.get('quotes', 0)} quotes" + (f" ({others})" if others else "")
                   + f" to {dest}", err=True)


@main.command("import")
@click.argument("path", metavar="FILE")
@db_option
@click.pass_context
def import_(ctx: click.Context, path: str) -> None:
    """Import an export (jsonl or json) of `quotes export` into this database.

    Into an empty database everything comes back as it was, ids included. Into one with data it is
    merged: articles already there (same text) are not added again, speakers and organisations
    with the same name, kind and country become one, ids are renumbered. All or nothing: on an
    error nothing is imported.

    \b
    Example:
      quotes import everything.jsonl --db copy.db
      quotes export --outlet Reuters | quotes import - --db other.db
    """
    from quotes.store import exchange

    session = _session(ctx)
    try:
        with click.open_file(path, "r", encoding="utf-8-sig") as stream:
            result = exchange.import_export(session, stream, "<stdin>" if path == "-" else path)
    except exchange.ExchangeError as exc:
        raise click.ClickException(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read ({exc.strerror or exc})") from None
    click.echo(result.summary(), err=True)


if __name__ == "__main__":
    main(prog_name="quotes")
