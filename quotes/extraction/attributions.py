"""What the extraction gives: attributions (quote or reported clause, mention, cue, rule) and each rule's confidence."""
from __future__ import annotations

from dataclasses import dataclass

from .marks import Quoted

# Confidence of each rule: the share of its predictions with the right span and speaker on PolNeAR's
# train split (the table by rule of `bench/accuracy.py ../shared/eval/polnear/train.jsonl`), shrunk
# toward 0.7 for rules with few predictions ((right + 4 * 0.7) / (n + 4)); dev checks it (the same
# script prints precision by confidence band). An unattributed quote has no speaker to be right about:
# its figure is a prior.
CONFIDENCE = {
    "after_quote": 0.97,
    "same_paragraph": 0.94,
    "dependency": 0.90,
    "label": 0.90,
    "colon_lead_in": 0.88,
    "according_to": 0.86,
    # 281 train predictions, 0.861 right span and speaker: (242 + 4 * 0.7) / (281 + 4)
    "reported_finding": 0.86,
    "before_quote": 0.84,
    "reported_speech": 0.83,
    "reported_label": 0.80,
    "after_other_verb": 0.79,
    "statement_noun": 0.75,
    "reported_object": 0.73,
    "continuation": 0.73,
    "lead_in_subject": 0.72,
    "paragraph_before": 0.70,
    "passive_agent": 0.68,
    "dash_byline": 0.66,
    "reported_noun": 0.65,
    "reported_other": 0.57,
    "sentence_subject": 0.51,
    "transcript": 0.42,
    # one speaker decision covers all of an article's answers, so counted per article: both train Q&As credit the
    # right interviewee, (2 + 4 * 0.7) / (2 + 4), checked by hand (PolNeAR's source is the `A` label, no name)
    "interview_answer": 0.80,
    "unattributed": 0.3,
}


@dataclass(frozen=True)
class Mention:
    """A speaker mention as token offsets [start, end) with its head token."""

    start: int
    end: int
    head: int


@dataclass
class Attribution:
    """A quote or reported clause with the cue and speaker mention that attribute it."""

    start: int  # content characters
    end: int
    kind: str  # direct | partial | indirect
    mention: Mention | None
    cue: int | None  # token index of the cue word
    method: str
    confidence: float
    quoted: Quoted | None = None
