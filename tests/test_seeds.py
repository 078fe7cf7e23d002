"""Golden test on the two seed articles, and the offset round trip on every quote."""
from pathlib import Path

import pytest

from quotes.pipeline.extract import extract_many
from quotes.reading.normalize import normalize
from quotes.reading.sources import read_paths

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def extractions(nlp):
    docs = [normalize(r) for r in read_paths([str(SEEDS)])]
    return list(extract_many(docs, nlp))


def test_every_quote_round_trips_to_its_offsets(extractions):
    for ex in extractions:
        for q in ex.quotes:
            assert ex.article.text[q.start:q.end] == q.text
            if q.speaker_start is not None:
                assert ex.article.text[q.speaker_start:q.speaker_end] == q.speaker_mention


def test_quotes_and_mentions_are_trimmed(extractions):
    for ex in extractions:
        for q in ex.quotes:
            assert q.text == q.text.strip() and q.text[:1] not in ",;:"
            if q.speaker_mention is not None:
                assert q.speaker_mention == q.speaker_mention.strip()


def test_seed_speakers_titles_and_countries(extractions):
    speakers = {}
    for ex in extractions:
        speakers.update(ex.speakers)
    assert speakers["Hikmet Hajiyev"].country == "AZ"
    assert speakers["Josep Borrell"].organization == "European Union"
    assert speakers["Josep Borrell"].country is None
    assert speakers["Annalena Baerbock"].country == "DE"
    assert speakers["Annalena Baerbock"].title == "Foreign Minister"
    assert speakers["Sergey Ghazaryan"].title == "foreign minister"


def test_hajiyev_is_quoted_in_both_articles(extractions):
    assert all(any(q.speaker == "Hikmet Hajiyev" for q in ex.quotes) for ex in extractions)


def test_pronoun_points_back_to_last_named_speaker(extractions):
    first = extractions[0]
    q = next(q for q in first.quotes if q.text.startswith("We urge all civilians"))
    assert q.speaker_mention == "he" and q.speaker == "Hikmet Hajiyev"
