"""The ``quotes`` group and what its commands share: --db, formats, filters, dates, sessions, output."""
from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import click

from quotes import __version__, query
from quotes.query import output


#: The largest integer SQLite stores: a larger id, count or offset is a usage error, not an OverflowError.
SQL_INT_MAX = 2 ** 63 - 1


@dataclass
class State:
    """Options of the ``quotes`` group that its commands share."""

    db: str | None = None


def _remember_db(ctx: click.Context, _param, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(State).db = value


DB_HELP = "Database file or SQLAlchemy URL (default: $QUOTES_DB, else quotes.db)."


def db_option(f=None, *, help: str = DB_HELP):
    """``--db`` on a command as well as on the group (``@db_option``, or ``@db_option(help=...)``)."""
    option = click.option("--db", metavar="PATH|URL", expose_value=False, callback=_remember_db, help=help)
    return option(f) if f is not None else option


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


#: --no-guesses, for every command with --country over quotes or speakers.
NO_GUESSES = click.option(
    "--no-guesses", is_flag=True,
    help="With --country: only where that country rests on evidence (stated, title, organisation, place, "
         "knowledge, curated), not on a guess from the article's setting.")


def quote_filter_options(f):
    """The quote filters shared by list, search, who-said, stats and export."""
    for option in reversed((
        click.option("--speaker", metavar="NAME", help="Speaker name or alias (words, any case/accents)."),
        click.option("--country", metavar="CODE|NAME",
                     help="Speaker's country, or the country of an organisation they belong to."),
        NO_GUESSES,
        click.option("--org", metavar="NAME", help="Organisation the speaker belongs to, or is."),
        click.option("--outlet", metavar="NAME", help="Outlet (words of its name, any case)."),
        click.option("--article", "article_id", type=click.IntRange(max=SQL_INT_MAX), metavar="ID",
                     help="Only this article."),
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
    f = click.option("--limit", type=click.IntRange(min=1, max=SQL_INT_MAX), metavar="N", help="At most N quotes.")(f)
    return quote_filter_options(f)


def page_options(default_sort: str):
    """``--sort`` and ``--offset``, for list and search."""
    sorts = query.SORTS if default_sort == "relevance" else tuple(s for s in query.SORTS if s != "relevance")

    def decorate(f):
        f = click.option("--offset", type=click.IntRange(min=0, max=SQL_INT_MAX), default=0, metavar="N",
                         help="Skip the first N quotes (with --limit: pages).")(f)
        return click.option("--sort", type=click.Choice(sorts), default=default_sort, show_default=True,
                            help="Order: relevance (search), article (and position), newest, oldest, "
                                 "confidence.")(f)
    return decorate


def session_for(ctx: click.Context, *, create: bool = True):
    """A session on the migrated database; user-facing errors become one line.

    ``create=False``: a database file that does not exist is such an error.
    """
    from quotes.store.db import DatabaseError, open_database, session_factory  # SQLAlchemy: only when a command needs it

    state = ctx.ensure_object(State)
    try:
        engine = open_database(state.db, create=create)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
    session = session_factory(engine)()
    ctx.call_on_close(engine.dispose)
    ctx.call_on_close(session.close)
    return session


def ask(ctx: click.Context, function, *args, **kwargs):
    """``function(session, *args, **kwargs)`` on the command's database; a QueryError becomes one line."""
    from quotes.store.lookup import QueryError

    try:
        return function(session_for(ctx), *args, **kwargs)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None


def emit(rows: Iterable[dict], fmt: str, columns: Sequence[str], headers: Sequence[str],
         empty: str, stretch: str = "text") -> None:
    """Write rows (a list, or an iterator that streams them) to stdout in ``fmt``; a table of none says
    ``empty`` on stderr. A QueryError raised while rows are read becomes one line."""
    from quotes.store.lookup import QueryError

    rows = iter(rows)
    try:
        first = next(rows, None)
        if first is None and fmt == "table":
            click.echo(empty, err=True)
            return
        output.write(itertools.chain(() if first is None else [first], rows), fmt, sys.stdout,
                     columns=columns, headers=headers, stretch=stretch)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH|URL", envvar="QUOTES_DB", help=DB_HELP)
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


def progress(total: int | None = None):
    """A progress bar on stderr (rate, and ETA when ``total`` is known), shown only on a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, unit=" articles", file=sys.stderr, disable=None, leave=False,
                dynamic_ncols=True)


def warn(message: str) -> None:
    """One line on stderr that does not tear a running progress bar."""
    from tqdm import tqdm

    tqdm.write(message, file=sys.stderr)

