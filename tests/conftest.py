"""Shared fixtures: the spaCy pipeline (loaded once), migrated databases on SQLite and PostgreSQL,
hand-made extractions."""
from __future__ import annotations

import itertools
import os
import shutil

import pytest

#: A PostgreSQL server for the tests: a URL of a database to connect to as a user who may create
#: databases (.ci/postgres.sh starts one and exports it). Without it those tests skip, unless CI or
#: QUOTES_REQUIRE_POSTGRES is set.
PG_URL_ENV = "QUOTES_TEST_PG_URL"


@pytest.fixture(scope="session")
def nlp():
    """The configured spaCy pipeline, loaded once for the whole run (load_pipeline caches it)."""
    from quotes.extraction.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def run(nlp):
    """Extract quotes from a hand-written text: ``run("…")`` gives the records.Extraction."""
    from quotes.pipeline.extract import extract
    from quotes.records import Article

    def go(text):
        return extract(Article(text, "t.txt"), nlp)
    return go


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory):
    """A database migrated once; tests get copies, which is much faster than migrating each time."""
    from quotes.store.db import open_database

    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(str(path)).dispose()  # the last connection to close folds the WAL into the file
    return path


@pytest.fixture
def db_path(tmp_path, _template_db):
    """Path of a fresh, migrated database."""
    path = tmp_path / "quotes.db"
    shutil.copyfile(_template_db, path)
    return path


class PostgresServer:
    """The tests' PostgreSQL server: a database migrated once, copied (CREATE DATABASE … TEMPLATE) per test."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=_null_pool())
        self.prefix = f"quotes_test_{os.getpid()}"
        self.template: str | None = None
        self.counter = itertools.count()

    def _run(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text(sql))

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def new_database(self, migrated: bool = True) -> str:
        """URL of a new, empty database (``migrated``: at the newest schema, copied from a template)."""
        from quotes.store.db import open_database

        if migrated and self.template is None:
            self.template = f"{self.prefix}_template"
            self._run(f"DROP DATABASE IF EXISTS {self.template}")
            self._run(f"CREATE DATABASE {self.template}")
            open_database(self.url_of(self.template)).dispose()
        name = f"{self.prefix}_{next(self.counter)}"
        self._run(f"CREATE DATABASE {name}" + (f" TEMPLATE {self.template}" if migrated else ""))
        return self.url_of(name)

    def drop(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self._run(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")

    def close(self) -> None:
        if self.template:
            self._run(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        self.admin.dispose()


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


def _absent(reason: str):
    """Skip a test that needs PostgreSQL, or in CI (env CI or QUOTES_REQUIRE_POSTGRES set) fail it: there
    the server must be there."""
    if os.environ.get("CI") or os.environ.get("QUOTES_REQUIRE_POSTGRES"):
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(f"no PostgreSQL for the tests: {reason}")


@pytest.fixture(scope="session")
def pg_server():
    """The tests' PostgreSQL server (PostgresServer), or a skip saying why there is none."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        _absent(f"{PG_URL_ENV} is not set (`bash .ci/postgres.sh start` starts a server and prints it)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _absent("the psycopg driver is not installed (pip install 'quotes[postgres]')")
    from sqlalchemy.exc import SQLAlchemyError

    server = PostgresServer(url)
    try:
        server._run("SELECT 1")
    except SQLAlchemyError as exc:
        _absent(f"cannot connect to {PG_URL_ENV}: {' '.join(str(exc.orig or exc).split())}")
    yield server
    server.close()


@pytest.fixture
def pg_url(pg_server):
    """URL of a fresh, migrated PostgreSQL database, dropped after the test."""
    url = pg_server.new_database()
    yield url
    pg_server.drop(url)


#: The backends the parametrised database fixtures run on.
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def database(request):
    """A fresh, migrated database on each backend: a SQLite path (the one db_path gives) or a PostgreSQL URL."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(request.getfixturevalue("db_path"))


@pytest.fixture
def engine(database):
    """Engine on a fresh, migrated database (each backend)."""
    from quotes.store.db import open_database

    engine = open_database(database)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    """Session on a fresh, migrated database (each backend)."""
    from quotes.store.db import session_factory

    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def make_extraction():
    """Build a records.Extraction by hand: quotes are (quoted text, speaker name or None, kind) and
    are located in the article text, so their offsets are right by construction."""
    from quotes.records import Article, Extraction, Quote

    def make(text, quotes=(), speakers=(), source="article.txt", **meta):
        article = Article(text=text, source=source, **meta)
        found, pos = [], 0
        for quoted, speaker, kind in quotes:
            start = text.index(quoted, pos)
            pos = start + len(quoted)
            found.append(Quote(start, pos, quoted, kind, speaker=speaker, confidence=0.8, method="test"))
        return Extraction(article, found, {sp.name: sp for sp in speakers})

    return make


#: An invented article for the web tests: markup in its title and text must show as text.
FERRY_ARTICLE = """Harbour council backs a northern ferry line <script>alert("x")</script>

“We will open the northern ferry line before the winter storms,” said Mira Solberg, the mayor of Tromsø.

The dockworkers' union leader Odd Brekke said the council had ignored the crews. He called the timetable “a ferry to nowhere”.

Solberg said the line would carry 400 passengers a day. “Nobody will be left on the quay,” she added, <b>smiling</b>.
"""


@pytest.fixture(scope="session")
def seeded_db_template(nlp, tmp_path_factory):
    """A database with the two seeds (September 2023, outlet Test Wire) and the invented ferry article
    (October 2023, Fjord Courier) ingested once; tests copy it (seeded_db) or only read it."""
    from pathlib import Path

    from click.testing import CliRunner

    from quotes.cli import main

    folder = tmp_path_factory.mktemp("seeded")
    db = folder / "seeded.db"
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    ferry = folder / "ferry.txt"
    ferry.write_text(FERRY_ARTICLE, encoding="utf-8")
    runner = CliRunner()
    for args in ([str(seeds / "000_bad527a6dbefebb3.txt"), "--published", "2023-09-19", "--url",
                  "https://news.example/karabakh-1"],
                 [str(seeds / "004_cc4abde9d281355e.txt"), "--published", "2023-09-20", "--url",
                  "https://news.example/karabakh-2"],
                 [str(ferry), "--published", "2023-10-02", "--outlet", "Fjord Courier", "--url",
                  "https://news.example/ferry"]):
        outlet = [] if "--outlet" in args else ["--outlet", "Test Wire"]
        result = runner.invoke(main, ["--db", str(db), "ingest", *args, *outlet])
        assert result.exit_code == 0, result.output
    from quotes.store.db import open_database

    open_database(str(db)).dispose()  # the last connection folds the WAL into the file
    return db


@pytest.fixture
def alembic_run():
    """``run(engine, command.upgrade, "0009")``: an Alembic command on the engine's database, in one
    transaction (the project's configuration, the engine's own connection)."""
    from quotes.store.db import alembic_config

    def run(engine, fn, *args):
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            fn(config, *args)

    return run


@pytest.fixture
def unhurried_pages(monkeypatch):
    """Web pages that count everything: their time budget (past which a page leaves its charts out) guards
    a million quotes on a busy server, and on a test's few quotes only a pause of the machine could
    exhaust it, making a test that looks for a chart fail now and then."""
    pages = pytest.importorskip("quotes.web.pages", reason="the web extra is not installed")
    monkeypatch.setattr(pages, "PAGE_BUDGET", 60.0)


@pytest.fixture(scope="module")
def seeded_client(seeded_db_template):
    """The web application's test client on the seeded database (read-only), one per test module."""
    testclient = pytest.importorskip("fastapi.testclient", reason="the web extra is not installed")
    from quotes.web.app import create_app

    with testclient.TestClient(create_app(str(seeded_db_template))) as c:
        yield c


@pytest.fixture
def seeded_db(seeded_db_template, tmp_path):
    """Path of a fresh copy of the seeded database, to change."""
    path = tmp_path / "seeded.db"
    shutil.copyfile(seeded_db_template, path)
    return path
