"""Fuzzing the extractor's offsets with hypothesis, on a fixed budget (derandomized: the same examples each run)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PIECES = st.sampled_from([
    '"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "\u00ab", "\u00bb", " ", "\n", "\n\n", ",", ".", "?", "!",
    " said ", " says ", " told reporters ", " according to ", "Jane Porter", "Porter", "the minister",
    "she", "We will win", "It is over", "\u2014", ":", "-", "\U0001F600", "\u00e9t\u00e9", "  ", "\t",
])
TEXTS = st.lists(PIECES, min_size=1, max_size=40).map("".join)


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_offsets_always_point_into_the_text(run, text):
    ex = run(text)
    assert ex.error is None
    for q in ex.quotes:
        assert 0 <= q.start < q.end <= len(text) and text[q.start:q.end] == q.text
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start < q.speaker_end <= len(text)
            assert text[q.speaker_start:q.speaker_end] == q.speaker_mention
            assert any(c.isalpha() for c in q.speaker_mention)
        if q.sentence_start is not None:
            assert 0 <= q.sentence_start <= q.start and q.end <= q.sentence_end <= len(text)
