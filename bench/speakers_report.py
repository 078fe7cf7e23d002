"""Cross-article speaker resolution on a corpus: how many speakers, the largest merges, and the
people kept apart although they share a surname - figures to spot-check by hand.

    python bench/speakers_report.py GOLD.jsonl [--limit N] [--workers N] [--db PATH] [--top N] [--json]

GOLD.jsonl is a gold file of the evaluation protocol (one document a line with doc_id and text; date,
publisher and title are used when present). Its texts are extracted and stored in a temporary
database (or in --db PATH, kept for inspection with the quotes commands); nothing is copied elsewhere.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from quotes.records import Article  # noqa: E402
from quotes.store.db import open_database, session_factory  # noqa: E402
from quotes.store.models import Organization, Quote, Speaker, SpeakerAlias  # noqa: E402
from quotes.store.resolution import PersonName, fold_name  # noqa: E402


def _articles(path: Path, limit: int | None):
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            if not line.strip():
                continue
            doc = json.loads(line)
            published = None
            try:
                published = date.fromisoformat(doc["date"]) if doc.get("date") else None
            except ValueError:
                pass
            yield Article(text=doc["text"], source=doc["doc_id"], title=doc.get("title"),
                          outlet=doc.get("publisher"), published=published)


def ingest(path: Path, db: str, limit: int | None, workers: int) -> dict:
    """Extract and store every document; returns counts and timings."""
    from quotes.pipeline.extract import extract_many
    from quotes.store.storing import StoreError, store_extraction

    engine = open_database(db)
    started = time.perf_counter()
    stored = failed = 0
    with session_factory(engine)() as session:
        for extraction in extract_many(_articles(path, limit), workers=workers):
            if extraction.error:
                failed += 1
                continue
            try:
                store_extraction(session, extraction)
                stored += 1
            except StoreError:
                failed += 1
    engine.dispose()
    return {"documents": stored, "failed": failed, "seconds": round(time.perf_counter() - started, 1)}


def report(db: str, top: int) -> dict:
    """Speaker counts, the speakers with the most names, and surname groups kept apart."""
    engine = open_database(db)
    with session_factory(engine)() as session:
        kinds = {f"{kind}/{int(named)}": n for kind, named, n in session.execute(
            select(Speaker.kind, Speaker.named, func.count()).group_by(Speaker.kind, Speaker.named))}
        quote_counts = dict(session.execute(
            select(Quote.speaker_id, func.count()).where(Quote.speaker_id.is_not(None)).group_by(Quote.speaker_id)
        ).all())
        article_counts = dict(session.execute(
            select(Quote.speaker_id, func.count(Quote.article_id.distinct()))
            .where(Quote.speaker_id.is_not(None)).group_by(Quote.speaker_id)).all())
        aliases: dict[int, list[str]] = defaultdict(list)
        for speaker_id, alias in session.execute(select(SpeakerAlias.speaker_id, SpeakerAlias.alias)):
            aliases[speaker_id].append(alias)
        named = list(session.scalars(select(Speaker).where(Speaker.named.is_(True))))

        def brief(sp: Speaker) -> dict:
            return {"id": sp.id, "name": sp.name, "kind": sp.kind, "country": sp.country,
                    "quotes": quote_counts.get(sp.id, 0), "articles": article_counts.get(sp.id, 0),
                    "aliases": sorted(set(aliases[sp.id]) - {sp.name})}

        most_aliases = sorted(named, key=lambda s: (-len(set(aliases[s.id])), -quote_counts.get(s.id, 0)))
        most_articles = sorted(named, key=lambda s: (-article_counts.get(s.id, 0), -quote_counts.get(s.id, 0)))
        by_surname: dict[str, list[Speaker]] = defaultdict(list)
        for sp in named:
            if sp.kind == "person" and sp.surname:
                by_surname[sp.surname].append(sp)
        shared = sorted(((k, v) for k, v in by_surname.items() if len(v) > 1),
                        key=lambda kv: (-sum(quote_counts.get(s.id, 0) for s in kv[1]), kv[0]))
        # bare surnames ("Obama") kept beside a full-named person of that surname: ambiguous, or a miss
        bare_beside_full = [brief(s) for k, v in by_surname.items() for s in v
                            if PersonName.parse(s.name).first is None
                            and any(PersonName.parse(o.name).first is not None for o in v)]
        variants = []  # rows holding two spellings of one surname (transliteration merges)
        for sp in named:
            if sp.kind != "person":
                continue
            lasts = {PersonName.parse(a).last for a in aliases[sp.id]}
            if len(lasts) > 1 and len({fold_name(last) for last in lasts}) == 1:
                variants.append(brief(sp))
        out = {
            "speakers": sum(kinds.values()),
            "named_people": kinds.get("person/1", 0),
            "named_organisations": kinds.get("organization/1", 0),
            "descriptions": sum(v for k, v in kinds.items() if k.endswith("/0")),
            "organisations": session.scalar(select(func.count()).select_from(Organization)),
            "quotes": session.scalar(select(func.count()).select_from(Quote)),
            "attributed_quotes": sum(quote_counts.values()),
            "people_in_several_articles": sum(1 for s in named if s.kind == "person"
                                              and article_counts.get(s.id, 0) > 1),
            "most_aliases": [brief(s) for s in most_aliases[:top]],
            "most_articles": [brief(s) for s in most_articles[:top]],
            "shared_surnames": len(shared),
            "surname_groups": [{"surname": PersonName.parse(max(v, key=lambda s: quote_counts.get(s.id, 0)).name)
                                .last, "speakers": [brief(s) for s in sorted(v, key=lambda s: s.name)]}
                               for k, v in shared[:top]],
            "bare_surname_rows": sorted(bare_beside_full, key=lambda sp: -sp["quotes"]),
            "transliteration_merges": variants[:top],
        }
    engine.dispose()
    return out


def _print(result: dict) -> None:
    def line(sp: dict) -> str:
        also = f"  aka {'; '.join(sp['aliases'][:8])}" if sp["aliases"] else ""
        return (f"  #{sp['id']} {sp['name']} [{sp['kind']}, {sp['country'] or '-'}] "
                f"{sp['quotes']} quotes / {sp['articles']} articles{also}")

    ing = result.get("ingest", {})
    if ing:
        print(f"documents stored: {ing['documents']} ({ing['failed']} failed) in {ing['seconds']} s")
    print(f"speakers: {result['speakers']} = {result['named_people']} named people + "
          f"{result['named_organisations']} named organisations + {result['descriptions']} descriptions")
    print(f"organisations: {result['organisations']}; quotes: {result['quotes']} "
          f"({result['attributed_quotes']} attributed)")
    print(f"people quoted in more than one article: {result['people_in_several_articles']}")
    print("\nlargest merges (most names per speaker):")
    for sp in result["most_aliases"]:
        print(line(sp))
    print("\nmost articles per speaker:")
    for sp in result["most_articles"]:
        print(line(sp))
    print(f"\nsurnames held by several distinct people: {result['shared_surnames']} (largest groups)")
    for group in result["surname_groups"]:
        print(f" {group['surname']}:")
        for sp in group["speakers"]:
            print("  " + line(sp))
    bare = result["bare_surname_rows"]
    print(f"\nbare-surname rows beside a full-named person of that surname: {len(bare)} "
          f"({sum(sp['quotes'] for sp in bare)} quotes)")
    for sp in bare[:10]:
        print(line(sp))
    print("\ntransliteration merges (one row, two spellings of its surname):")
    for sp in result["transliteration_merges"] or []:
        print(line(sp))
    if not result["transliteration_merges"]:
        print("  none")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, help="gold JSONL (doc_id, text, [date, publisher, title])")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--workers", type=int, default=1, help="parsing processes")
    parser.add_argument("--db", help="keep the database at this path (default: a temporary file)")
    parser.add_argument("--top", type=int, default=15, help="rows per list")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"{args.gold}: no such file", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "speakers.db")
        fresh = not Path(db).exists()
        result = {"ingest": ingest(args.gold, db, args.limit, args.workers)} if fresh else {}
        result.update(report(db, args.top))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        _print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
