"""Ranked search on PostgreSQL through the RUM index (migration 0011), and without it (the GIN path)."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import event, insert, text

from quotes.query import fulltext, search_quotes
from quotes.store.db import open_database, session_factory
from quotes.store.models import PG_RANK_INDEX, Quote
from quotes.store.storing import store_extraction

#: Words of the generated quotes; "minister" in about one of three.
WORDS = ("harbour", "tunnel", "tunnels", "ferry", "budget", "council", "bridge", "rail", "port", "fees", "spring",
         "winter", "said", "would", "open", "close", "plan", "cost", "crowns", "again")
EXPRESSIONS = ("minister", "harbour OR ferry", "minister NOT budget", "tunn*", "minister budget",
               '"minister said"', "(rail OR port) AND minister")


def _length_class(quote: str) -> str:
    """The RUM index's weight class of a quote of plain words (migration 0011): by its distinct words."""
    n = len(set(quote.lower().split()))
    return "A" if n <= 8 else "B" if n <= 16 else "C" if n <= 32 else "D"


def _rum_available(session) -> bool:
    return bool(session.scalar(text("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')")))


def _fill(session, make_extraction, n: int = 3000) -> None:
    """One stored article, then ``n`` generated quotes of it (a table the planner reads through its indexes)."""
    said = make_extraction("“The minister said the tunnel would open,” said Mira Holt.",
                           [("The minister said the tunnel would open", "Mira Holt", "direct")])
    store_extraction(session, said)
    article_id = session.scalar(text("SELECT article_id FROM quotes"))
    rng = random.Random(7)
    rows = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 16))]
        for _ in range(rng.choice((0, 0, 0, 0, 1, 1, 2))):  # "minister" none, once or twice
            words.insert(rng.randrange(len(words) + 1), "minister")
        rows.append({"article_id": article_id, "text": " ".join(words), "kind": "direct", "start": 100 + i,
                     "end": 101 + i, "confidence": 0.5, "method": "test"})
    session.execute(insert(Quote), rows)
    session.commit()
    session.execute(text("ANALYZE quotes"))


@pytest.fixture
def filled(pg_url, make_extraction):
    engine = open_database(pg_url)
    with session_factory(engine)() as session:
        if not _rum_available(session):
            pytest.skip("the PostgreSQL server has no rum extension (postgresql-NN-rum): search ranks over GIN")
        _fill(session, make_extraction)
        yield engine, session
    engine.dispose()


def test_the_rum_index_exists_after_upgrade_and_ranked_search_reads_it(filled):
    engine, session = filled
    assert session.scalar(text("SELECT to_regclass(:n) IS NOT NULL"), {"n": PG_RANK_INDEX})
    assert fulltext.ranks_by_index(session)
    statements = []

    def listener(conn, cursor, statement, params, context, many):
        statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        page = search_quotes(session, "minister", limit=20)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    # the first statement ranks through the index; a second, if the page's last match ties with the next
    [(ranked, params), *_] = [(s, p) for s, p in statements if "<=>" in s and "LIMIT" in s]
    plan = "\n".join(r[0] for r in session.connection().exec_driver_sql("EXPLAIN " + ranked, params))
    assert f"Index Scan using {PG_RANK_INDEX}" in plan and "Order By" in plan, plan
    # RUM's distance: the quote's length class first (shorter first), then more "minister" first
    order = [(_length_class(r["text"]), -r["text"].split().count("minister")) for r in page]
    assert order == sorted(order) and order[0] == ("A", -2)
    assert [r["rank"] for r in page] == sorted(r["rank"] for r in page)
    every = search_quotes(session, "minister", limit=None, snippets=False)
    assert [r["rank"] for r in page] == [r["rank"] for r in every[:20]]
    assert all("**minister**" in r["snippet"] for r in page)


def test_ranked_search_through_rum_finds_what_the_gin_path_finds(filled):
    _, session = filled
    for expression in EXPRESSIONS:
        fulltext.use_rank_index(session, True)
        through_rum = search_quotes(session, expression, limit=None, snippets=False)
        fulltext.use_rank_index(session, False)
        through_gin = search_quotes(session, expression, limit=None, snippets=False)
        assert through_rum, expression
        assert {r["id"] for r in through_rum} == {r["id"] for r in through_gin}, expression
    fulltext.use_rank_index(session, None)
    assert fulltext.ranks_by_index(session)
    # a phrase or a prefix ranks with ts_rank over GIN even where RUM is (fulltext.py says why); words by RUM
    for expression in ('"minister said"', "tunn*", "minister tunn*"):
        ranked = search_quotes(session, expression, limit=5)
        assert ranked and all(r["rank"] < 0 for r in ranked), expression
    assert all(r["rank"] > 0 for r in search_quotes(session, "minister said", limit=5))


def test_downgrade_drops_the_rum_index_and_search_goes_on_over_gin(filled, alembic_run):
    from alembic import command

    engine, session = filled
    before = {r["id"] for r in search_quotes(session, "minister budget", limit=None, snippets=False)}
    session.close()
    alembic_run(engine, command.downgrade, "0010")
    with session_factory(engine)() as again:
        fulltext.use_rank_index(again, None)
        assert not fulltext.ranks_by_index(again)
        assert {r["id"] for r in search_quotes(again, "minister budget", limit=None, snippets=False)} == before
    alembic_run(engine, command.upgrade, "head")
    with session_factory(engine)() as again:
        fulltext.use_rank_index(again, None)
        assert fulltext.ranks_by_index(again)


def test_a_role_that_may_not_create_rum_gets_no_rum_index_and_searches_over_gin(pg_server, make_extraction):
    """RUM is not a trusted extension: a database owner who is not a superuser migrates without it."""
    role = f"{pg_server.prefix}_plain"
    pg_server._run(f"DROP ROLE IF EXISTS {role}")
    pg_server._run(f"CREATE ROLE {role} LOGIN")
    url = pg_server.new_database(migrated=False)
    name = url.rsplit("/", 1)[1]
    pg_server._run(f"ALTER DATABASE {name} OWNER TO {role}")
    from sqlalchemy.engine import make_url

    engine = None
    try:
        engine = open_database(make_url(url).set(username=role).render_as_string(hide_password=False))
        with session_factory(engine)() as session:
            assert session.scalar(text("SELECT version_num FROM alembic_version")) == "0011"
            assert not session.scalar(text("SELECT to_regclass(:n) IS NOT NULL"), {"n": PG_RANK_INDEX})
            assert not fulltext.ranks_by_index(session)
            _fill(session, make_extraction, n=200)
            rows = search_quotes(session, "minister", limit=5)
            assert rows and all(r["rank"] < 0 and "minister" in r["text"].split() for r in rows)
    finally:
        if engine is not None:
            engine.dispose()
        pg_server.drop(url)
        pg_server._run(f"DROP ROLE IF EXISTS {role}")
