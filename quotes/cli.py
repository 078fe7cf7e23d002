"""The ``quotes`` command line: ingest and extract articles, then query quotes and speakers."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import click

from . import __version__, output, queries
from .db import DatabaseError, open_database, session_factory
from .reading import InputError, read_paths
from .records import Article

#: Columns of the table format, per command.
QUOTE_COLUMNS = ("id", "article_id", "speaker", "country", "kind", "text")
QUOTE_HEADERS = ("id", "article", "speaker", "country", "kind", "quote")
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


def filter_options(f):
    """The filters shared by list and search."""
    for option in reversed((
        click.option("--speaker", metavar="NAME", help="Speaker name or alias (words, any case/accents)."),
        click.option("--country", metavar="CODE|NAME",
                     help="Speaker's country, or the country of an organisation they belong to."),
        click.option("--org", metavar="NAME", help="Organisation the speaker belongs to, or is."),
        click.option("--article", "article_id", type=int, metavar="ID", help="Only this article."),
        click.option("--kind", type=click.Choice(queries.QUOTE_KINDS), help="Quote kind."),
        click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N quotes."),
    )):
        f = option(f)
    return f


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


def _articles(paths: Sequence[str], failures: list[str], sources: dict | None = None) -> Iterator[Article]:
    """Normalised articles from ``paths``; unreadable ones are reported on stderr and counted.

    With ``sources``, each article's raw text and offset map are kept there by source name, so that
    offsets can be reported against the file as given."""
    from .normalize import normalize_with_offsets

    for item in read_paths(paths):
        if isinstance(item, InputError):
            problem = item
        else:
            try:
                article, offsets = normalize_with_offsets(item)
                if sources is not None:
                    sources[article.source] = (item.text, offsets)
                yield article
                continue
            except InputError as exc:
                problem = exc
        failures.append(str(problem))
        _warn(f"skipped {problem}")


def _progress():
    """A progress bar on stderr, shown only when stderr is a terminal."""
    from tqdm import tqdm

    return tqdm(unit=" articles", file=sys.stderr, disable=None, leave=False)


def _warn(message: str) -> None:
    """One line on stderr that does not tear a running progress bar."""
    from tqdm import tqdm

    tqdm.write(message, file=sys.stderr)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes parsing in parallel.")
@db_option
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], workers: int) -> None:
    """Extract quotes from articles and store them.

    Articles whose text is already stored are skipped without parsing them again.

    PATH is a text, HTML, JSON or JSON lines file, a folder (searched recursively) or - for stdin.

    \b
    Example:
      quotes ingest news/2024/ extra.jsonl --workers 2
    """
    from . import store
    from .extract import extract_many  # loads spaCy: only the commands that extract import it

    session = _session(ctx)
    failures: list[str] = []
    counts = {"added": 0, "unchanged": 0, "updated": 0}
    n_quotes = 0
    speakers: set[str] = set()
    new_speakers = 0
    bar = _progress()

    def fresh(articles: Iterator[Article]) -> Iterator[Article]:
        for article in articles:  # known text needs no parsing
            if store.find_article(session, article) is not None:
                counts["unchanged"] += 1
                bar.update()
                continue
            yield article

    with bar:
        for extraction in extract_many(fresh(_articles(paths, failures)), workers=workers):
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
    click.echo(summary, err=True)
    if failures:
        ctx.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@format_option(("jsonl", "json", "table"), default="jsonl")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes parsing in parallel.")
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], fmt: str, workers: int) -> None:
    """Print the quotes found in articles (no storing).

    jsonl prints one quote per line: file (the path as given), start, end, text, kind, speaker,
    speaker_mention, speaker_start, speaker_end, speaker_kind, title, organization, country, cue,
    confidence, method.

    \b
    Example:
      quotes extract article.txt --format table
    """
    from .extract import extract_many

    failures: list[str] = []
    stdout = sys.stdout
    collected: list[dict] = []
    sources: dict = {}
    for extraction in extract_many(_articles(paths, failures, sources), workers=workers):
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
@format_option()
@db_option
@click.pass_context
def list_(ctx: click.Context, fmt: str, **filters) -> None:
    """List stored quotes.

    Filters combine: speaker, country, organisation, article and kind.

    \b
    Example:
      quotes list --speaker Smith --country GB --format csv > smith.csv
    """
    session = _session(ctx)
    try:
        rows = queries.list_quotes(session, **filters)
    except queries.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    _emit(rows, fmt, QUOTE_COLUMNS, QUOTE_HEADERS, "No quotes found.")


@main.command()
@click.argument("text")
@filter_options
@format_option()
@db_option
@click.pass_context
def search(ctx: click.Context, text: str, fmt: str, **filters) -> None:
    """Full-text search of the quotes, best matches first.

    TEXT is an SQLite FTS5 query: words (all must occur), "an exact phrase", OR, NOT, prefix*.

    \b
    Example:
      quotes search 'ceasefire OR truce' --country Armenia
    """
    session = _session(ctx)
    try:
        rows = queries.search_quotes(session, text, **filters)
    except queries.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    _emit(rows, fmt, QUOTE_COLUMNS, QUOTE_HEADERS, "No quotes found.")


@main.command("speakers")
@click.option("--country", metavar="CODE|NAME", help="Speaker's country, or that of their organisation.")
@click.option("--org", metavar="NAME", help="Organisation the speaker belongs to, or is.")
@click.option("--speaker", metavar="NAME", help="Name or alias (words, any case/accents).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N speakers.")
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
        rows = queries.speakers(session, **filters)
    except queries.QueryError as exc:
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
        quote = queries.show_quote(session, quote_id)
    except queries.QueryError as exc:
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
    from . import evaluate
    from .extract import extract_many

    try:
        result = evaluate.evaluate_file(gold, lambda articles: extract_many(articles, workers=workers),
                                        limit=limit)
    except evaluate.GoldFormatError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(prog_name="quotes")
