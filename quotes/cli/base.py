"""The ``quotes`` group and what its commands share: --db, formats, filters, dates, sessions, output."""
from __future__ import annotations

import contextlib
import functools
import itertools
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import click

from quotes import __version__, query
from quotes.query import output
from quotes.startup import freeze_start_up


#: The largest integer SQLite stores: a larger id, count or offset is a usage error, not an OverflowError.
SQL_INT_MAX = 2 ** 63 - 1


@dataclass
class State:
    """Options of the ``quotes`` group that its commands share."""

    db: str | None = None
    header: bool = True  # --no-headers turns it off
    width: int | None = None  # --width; None: the terminal's, or never cut into a file or pipe
    quiet: bool = False  # -q: no summary on stderr


def _remember_db(ctx: click.Context, _param, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(State).db = value


DB_HELP = "Database file or SQLAlchemy URL (default: $QUOTES_DB, else quotes.db)."


def db_option(f=None, *, help: str = DB_HELP):
    """``--db`` on a command as well as on the group (``@db_option``, or ``@db_option(help=...)``)."""
    option = click.option("--db", metavar="PATH|URL", expose_value=False, callback=_remember_db, help=help)
    return option(f) if f is not None else option


#: The sqlite-utils shortcuts for --format: (option, parameter name, format).
FORMAT_SHORTCUTS = (("--csv", "as_csv", "csv"), ("--tsv", "as_tsv", "tsv"), ("--json", "as_json", "json"),
                    ("--nl", "as_nl", "jsonl"))


def format_option(choices: Sequence[str] = output.FORMATS, default: str = "table", rows: bool = True):
    """``--format``, its shortcuts (--csv, --tsv, --json, --nl) for the formats in ``choices``, and, where
    the command writes ``rows`` (a table, csv, tsv), --no-headers and --width.

    The command still receives only ``fmt``; --no-headers and --width are kept in State for ``emit``.
    """
    shortcuts = [s for s in FORMAT_SHORTCUTS if s[2] in choices]
    headed = rows and any(f in choices for f in ("table", "csv", "tsv"))
    tabled = rows and "table" in choices

    def decorate(f):
        @functools.wraps(f)
        def command(*args, **kwargs):
            ctx = click.get_current_context()
            picked = [(flag, fmt) for flag, name, fmt in shortcuts if kwargs.pop(name)]
            if len(picked) > 1:
                raise click.UsageError(f"{picked[0][0]} and {picked[1][0]} cannot be used together", ctx)
            if picked:
                explicit = ctx.get_parameter_source("fmt") == click.core.ParameterSource.COMMANDLINE
                if explicit and kwargs["fmt"] != picked[0][1]:
                    raise click.UsageError(f"{picked[0][0]} and --format {kwargs['fmt']} cannot be used together",
                                           ctx)
                kwargs["fmt"] = picked[0][1]
            state = ctx.ensure_object(State)
            if headed:
                state.header = not kwargs.pop("no_headers")
            if tabled:
                state.width = kwargs.pop("width")
            return f(*args, **kwargs)

        if tabled:
            command = click.option("--width", type=click.IntRange(min=0), metavar="N",
                                   help="Cut tables to N terminal cells (0: never). Default: $COLUMNS, or "
                                        "the terminal's width; into a file or pipe, never cut.")(command)
        if headed:
            command = click.option("--no-headers", is_flag=True,
                                   help="No header line (tables, csv, tsv).")(command)
        for flag, name, fmt in reversed(shortcuts):
            command = click.option(flag, name, is_flag=True, help=f"Same as --format {fmt}.")(command)
        return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                            help="Output format; json is one array, jsonl one object per line.")(command)
    return decorate


def table_settings(ctx: click.Context | None = None) -> dict:
    """The keyword arguments output.write and output.table take from --no-headers and --width."""
    state = (ctx or click.get_current_context()).ensure_object(State)
    return {"header": state.header, "width": state.width}


def _be_quiet(ctx: click.Context, _param, value: bool) -> None:
    if value:
        ctx.ensure_object(State).quiet = True


#: -q/--quiet, for the commands that end with a summary on stderr.
quiet_option = click.option("--quiet", "-q", is_flag=True, expose_value=False, callback=_be_quiet,
                            help="No summary line and no progress bar (what fails is still reported).")


def say(message: str) -> None:
    """A command's closing summary on stderr, unless -q."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or not ctx.ensure_object(State).quiet:
        click.echo(message, err=True)


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
    freeze_start_up()  # what is imported and set up by now is kept for life
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
                     columns=columns, headers=headers, stretch=stretch, **table_settings())
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None


def drop_stdout() -> None:
    """Point stdout at os.devnull, after its reader went away (``quotes list | head -1``): what is still
    buffered is dropped, and no later flush, Python's own at exit included, fails again (the Python
    docs' "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):  # stdout with no file descriptor (a test's buffer)
        pass


@contextlib.contextmanager
def _pipe_closed_is_done(ctx: click.Context) -> Iterator[None]:
    # click itself turns a broken pipe into exit status 1; a reader that has read enough is no failure
    try:
        yield
    except BrokenPipeError:
        drop_stdout()
        ctx.exit(0)


class Group(click.Group):
    """The ``quotes`` group: a reader closing the pipe ends any command, or its help, quietly with status 0."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with _pipe_closed_is_done(ctx):  # the group's --help is written while its options are parsed
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        with _pipe_closed_is_done(ctx):
            return super().invoke(ctx)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH|URL", envvar="QUOTES_DB", help=DB_HELP)
@click.version_option(__version__, "-V", "--version", prog_name="quotes")
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
    """A progress bar on stderr (rate, and ETA when ``total`` is known), shown only on a terminal and
    without -q."""
    from tqdm import tqdm

    ctx = click.get_current_context(silent=True)
    quiet = ctx is not None and ctx.ensure_object(State).quiet
    return tqdm(total=total, unit=" articles", file=sys.stderr, disable=True if quiet else None, leave=False,
                dynamic_ncols=True)


def warn(message: str) -> None:
    """One line on stderr that does not tear a running progress bar."""
    from tqdm import tqdm

    tqdm.write(message, file=sys.stderr)

