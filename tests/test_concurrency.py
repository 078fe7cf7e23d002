"""Several writers at once on one database (each backend): two ingests and a reprocess of the same articles
never duplicate nor lose an article, a speaker or an organisation, and the counters stay exact."""
from __future__ import annotations

import random
import threading

from sqlalchemy import func, select

from quotes.records import Speaker as Sp
from quotes.store.db import session_factory
from quotes.store.models import Article, Organization, Quote, Speaker
from quotes.store.storing import reprocess_extraction, store_extraction

NAMES = ["Ada Brun", "Rolf Enge", "Sara Tell", "Kim Lund"]
ORGS = ["Harbour Board", "Fishers Union"]


def _articles(make_extraction, n=12):
    """``n`` articles, each quoting two of a few shared people of a few shared organisations."""
    out = []
    for i in range(n):
        a, b = NAMES[i % 4], NAMES[(i + 1) % 4]
        text = f"“Point {i} stands,” said {a}. “Point {i} falls,” said {b}."
        out.append(make_extraction(text, [(f"Point {i} stands", a, "direct"), (f"Point {i} falls", b, "direct")],
                                   [Sp(a, organization=ORGS[i % 2]), Sp(b, organization=ORGS[(i + 1) % 2])],
                                   source=f"n{i}.txt"))
    return out


def test_two_ingests_and_a_reprocess_at_once_keep_one_of_everything(engine, make_extraction):
    extractions = _articles(make_extraction)
    Session = session_factory(engine)
    with Session() as session:  # one article is stored first, for the reprocess to redo while the others go in
        first = store_extraction(session, extractions[0])
        first_id = session.scalar(select(Article.id))
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def ingest(seed: int) -> None:
        order = extractions[:]
        random.Random(seed).shuffle(order)  # the two ingests meet the same articles in other orders
        try:
            with Session() as session:
                start.wait()
                for extraction in order:
                    store_extraction(session, extraction)
        except BaseException as exc:  # reported below: a thread's exception would be lost
            errors.append(exc)

    def reprocess() -> None:
        try:
            with Session() as session:
                start.wait()
                for _ in range(3):
                    reprocess_extraction(session, first_id, extractions[0])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ingest, args=(1,)), threading.Thread(target=ingest, args=(2,)),
               threading.Thread(target=reprocess)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert first.status == "added"
    with Session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == len(extractions)
        assert session.scalar(select(func.count()).select_from(Quote)) == 2 * len(extractions)
        assert sorted(session.scalars(select(Speaker.name))) == sorted(NAMES)
        assert sorted(session.scalars(select(Organization.name))) == sorted(ORGS)
        # the trigger-kept counters agree with counting
        for speaker in session.scalars(select(Speaker)):
            quotes = session.scalars(select(Quote).where(Quote.speaker_id == speaker.id)).all()
            assert speaker.n_quotes == len(quotes) == 6
            assert speaker.n_articles == len({q.article_id for q in quotes})
        assert all(a.n_quotes == 2 for a in session.scalars(select(Article)))
