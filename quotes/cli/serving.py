"""Commands that serve the database to a browser: ``serve`` (the web application) and ``datasette``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from quotes.startup import resume_full_collections

from .base import State, db_option, main

HOST_HELP = "Address to listen on; anything but 127.0.0.1 lets other machines in."


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help=HOST_HELP)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port.")
@click.option("--edit", is_flag=True, help="Allow corrections from the pages (needs the token).")
@click.option("--token", envvar="QUOTES_EDIT_TOKEN", metavar="TOKEN",
              help="Edit token, at least 12 characters (default: $QUOTES_EDIT_TOKEN, which ps cannot show).")
@db_option
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, edit: bool, token: str | None) -> None:
    """Browse the database in a web browser: search, facets, speakers, articles, charts, and a JSON API.

    The database is opened read-only. With --edit, whoever gives the token (on the Edit page, or as
    a bearer token to the API) can fix a quote's speaker, a speaker's name or country, and merge
    speakers; each change is recorded as the CLI's corrections are.

    \b
    Example:
      quotes serve --db quotes.db
      QUOTES_EDIT_TOKEN=$(openssl rand -hex 16) quotes serve --edit --port 8080
    """
    try:
        from quotes.web.app import create_app
        from quotes.web.serving import run
    except ImportError as exc:
        raise click.ClickException(f"quotes serve needs the web extra ({exc.name} is missing): "
                                   "pip install 'quotes[web]'") from None
    from quotes.store.db import DatabaseError

    db = ctx.ensure_object(State).db
    try:
        app = create_app(db, edit=edit, token=token)
    except (DatabaseError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    mode = "editing with the token" if edit else "read-only"
    click.echo(f"quotes: serving {db or 'quotes.db'} ({mode}) at http://{host}:{port}/ - Ctrl-C stops", err=True)
    resume_full_collections()  # a server runs for days: its start-up is over
    run(app, host, port)


@main.command("datasette")
@click.option("--host", default="127.0.0.1", show_default=True, help=HOST_HELP)
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Port.")
@click.option("--metadata", "print_metadata", is_flag=True,
              help="Print the metadata (labels, facets, hidden tables) as JSON instead of starting Datasette.")
@db_option
@click.pass_context
def datasette_(ctx: click.Context, host: str, port: int, print_metadata: bool) -> None:
    """Open the database in Datasette with labels, facets, full-text search and internal tables hidden.

    Start with the browse_quotes view: one row per quote with its speaker, organisation and article.

    \b
    Example:
      quotes datasette --db quotes.db
      quotes datasette --metadata > metadata.json && datasette quotes.db -m metadata.json
    """
    import importlib.util
    import os
    import subprocess
    import tempfile

    from quotes.config import database_url
    from quotes.store.db import DatabaseError, open_database
    from quotes.web.datasette import metadata

    url = database_url(ctx.ensure_object(State).db)
    if not url.startswith("sqlite:///"):
        raise click.ClickException("Datasette opens SQLite files; this database is not one")
    path = Path(url[len("sqlite:///"):])
    meta = metadata(path.stem)
    if print_metadata:
        click.echo(json.dumps(meta, indent=2, ensure_ascii=False))
        return
    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("quotes datasette needs Datasette: pip install 'quotes[datasette]'")
    try:
        open_database(str(path), create=False).dispose()  # brings an old schema up to date first
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from None
    with tempfile.TemporaryDirectory() as folder:
        meta_file = Path(folder) / "metadata.json"
        meta_file.write_text(json.dumps(meta), encoding="utf-8")
        click.echo(f"quotes: Datasette on {path} at http://{host}:{port}/ - Ctrl-C stops", err=True)
        command = [sys.executable, "-m", "datasette", "serve", str(path), "--metadata", str(meta_file),
                   "--host", host, "--port", str(port)]
        try:
            status = subprocess.call(command, env=os.environ.copy())
        except KeyboardInterrupt:
            status = 0
    ctx.exit(status)
