"""Made-up articles for the reliability tests: a few people quoted across articles, by full name in some
and by bare surname in others, so that cross-article speaker resolution has work to do."""
from __future__ import annotations

import random
from pathlib import Path

PEOPLE = [("Mayor", "Alice", "Brennan", "the city"), ("Senator", "Tomas", "Okafor", "the state"),
          ("Dr.", "Priya", "Lindqvist", "the hospital"), ("Chief", "Marcus", "Delacroix", "the police"),
          ("Professor", "Ivan", "Moreau", "the university")]
TOPICS = ["the new budget", "the bridge repairs", "the flood response", "school funding", "the transit plan"]


def article(i: int, rng: random.Random) -> str:
    """Article ``i``: three people quoted, one of them by surname alone."""
    topic = rng.choice(TOPICS)
    paragraphs = [f"Officials met on Tuesday to discuss {topic}, the council's item {i}."]
    for k, (title, first, last, org) in enumerate(rng.sample(PEOPLE, 3)):
        if (i + k) % 3 == 0:
            paragraphs.append(f'"We have to act on {topic} now," said {last}, who spoke after the meeting.')
        else:
            paragraphs.append(f'"We have to act on {topic} now," said {title} {first} {last} of {org}.')
            paragraphs.append(f'"This matters to every family," {last} added.')
    return "\n\n".join(paragraphs) + "\n"


def write_articles(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """``n`` articles as text files in ``folder``, the same for the same seed."""
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        path = folder / f"a{i:02d}.txt"
        path.write_text(article(i, rng), encoding="utf-8")
        paths.append(path)
    return paths
