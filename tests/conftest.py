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
