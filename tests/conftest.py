"""Shared fixtures: the spaCy pipeline (loaded once), migrated databases, hand-made extractions."""
from __future__ import annotations

import shutil

import pytest


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


@pytest.fixture
def engine(db_path):
    """Engine on a fresh, migrated database."""
    from quotes.store.db import open_database

    engine = open_database(str(db_path))
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    """Session on a fresh, migrated database."""
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
def seeded_db(seeded_db_template, tmp_path):
    """Path of a fresh copy of the seeded database, to change."""
    path = tmp_path / "seeded.db"
    shutil.copyfile(seeded_db_template, path)
    return path
