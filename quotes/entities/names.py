"""Names as news text gives them: folding, titles, possessives, first names, middle initials.

Pure helpers on strings and spaCy spans that the cast, the mention resolver and the describer share.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from spacy.tokens import Span, Token

from quotes.entities import countries
from quotes.extraction.lexicon import (ORGANIZATION_HEADS, PERSON_NOUNS, PERSON_TITLES, TITLE_ABBREVIATIONS,
                                     speech_verb_form, words)
from .diskcache import cached_json

_POSSESSIVE = ("'s", "’s", "'", "’")
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their"})

# Characters that are never part of a name: soft hyphens, zero-width marks, brackets left by quotation edits.
NAME_JUNK = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\[\](){}]")
# "Trump v. Trump", "Smith vs Jones": a court case, not a person.
CASE_NAME = re.compile(r"\w\s+(?:v|vs|versus)\.?\s+[A-Z]")
#: Head nouns of descriptions of people ("residents", "a fire officer", "eyewitnesses").
PEOPLE_WORDS = PERSON_NOUNS | words("people_nouns")
# Name suffixes that follow the surname: not middle names ("Martin Luther King Jr.").
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


#: Bumped when the gender table's format changes, so that an old cache is not read.
GENDER_TABLE_VERSION = 1


@lru_cache(maxsize=1)
def _genders() -> dict[str, str]:
    """Lower-case first name -> gender-guesser's answer for it ("male", "mostly_female", "andy" …), from
    its offline name dictionary, kept on disk after the first build."""
    def build() -> dict[str, str]:
        from gender_guesser.detector import Detector

        detector = Detector(case_sensitive=False)
        return {name: detector.get_gender(name) for name in detector.names}

    return cached_json("genders", "gender-guesser", GENDER_TABLE_VERSION, build)


def gender_of(word: str) -> str:
    """gender-guesser's answer for a first name (any case): "male", "female", "mostly_male", … or "unknown"."""
    return _genders().get(word.lower(), "unknown")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lowercase without diacritics, for comparing names."""
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c)).lower()


def strip_possessive(text: str) -> str:
    """Drop a trailing possessive ("Azerbaijan's" -> "Azerbaijan")."""
    for p in _POSSESSIVE:
        if text.endswith(p) and len(text) > len(p) + 1:
            return text[: -len(p)]
    return text


def _name_words(text: str) -> list[str]:
    return [w for w in strip_possessive(text).replace("’", "'").split() if w]


def is_title_word(word: str) -> bool:
    w = fold(word).rstrip(".")
    return w in PERSON_TITLES or w in TITLE_ABBREVIATIONS


def clean_person_name(text: str) -> str:
    """A person's name without leading titles, trailing possessive or punctuation."""
    words = _name_words(text)
    while len(words) > 1 and is_title_word(words[0]):
        words.pop(0)
    while words and not any(c.isalnum() for c in words[-1]):
        words.pop()
    return " ".join(words).strip(" ,;:")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Lower-case English content words (WordNet's lemma index shipped with the spaCy model), or nothing when
    the model has none: tells a word capitalised by headline style ("Fascist", "Billionaire") from a name."""
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    from quotes.config import model_name

    try:
        root = get_package_path(model_name())
    except Exception:  # not an installed package (a path, or missing): no lexicon, no guessing
        return frozenset()
    for path in sorted(root.glob("*/lemmatizer/lookups")):
        tables = Lookups().from_disk(path)
        if tables.has_table("lemma_index"):
            return frozenset(w for words in tables.get_table("lemma_index").values() for w in words)
    return frozenset()


def is_common_word(word: str) -> bool:
    return word[:1].isupper() and word.lower() in _common_words()


def joining_hyphen(tok: Token) -> bool:
    """A hyphen joining two words with no space ("Reiss-Andersen", "Min-ji")."""
    return tok.text == "-" and not tok.whitespace_ and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_


def is_first_name(word: str) -> bool:
    """Whether a capitalised word is a first name in gender-guesser's dictionary (never "The" or "This")."""
    return (word[:1].isupper() and word.isalpha() and word.lower() not in DETERMINERS
            and gender_of(word) != "unknown")


def name_part(ent: Span) -> Span:
    """A PERSON entity without leading words the recogniser swept in ("Asserting Clinton", "Fascist X")."""
    doc = ent.doc
    start = ent.start + 1 if len(ent) > 1 and inverted_cue(ent) else ent.start
    while start < ent.end - 1 and doc[start].pos_ in ("VERB", "ADJ", "ADV", "DET", "PRON", "AUX", "PART", "PUNCT") \
            and not is_first_name(doc[start].text):
        start += 1
    return doc[start:ent.end]


def inverted_cue(ent: Span) -> bool:
    """`Said Roe, “…”`: a sentence opening with a speech verb, then the name and a comma or colon before a
    quote; "Said" is a first name too, but not there."""
    doc, first = ent.doc, ent[0]
    return (first.is_sent_start and first.text[:1].isupper() and speech_verb_form(first.text) is not None
            and ent.end + 1 < len(doc) and doc[ent.end].text in (",", ":")
            and (first.pos_ == "VERB" or doc[ent.end + 1].is_quote))


def titled_name(span: Span, head: Token) -> str | None:
    """`Former US Ambassador Nikki Haley` the recogniser missed: capitalised words after a title word."""
    if head.pos_ != "PROPN" or not head.text[:1].isupper():
        return None
    lo = head.i
    while lo > span.start and span.doc[lo - 1].pos_ == "PROPN" and not is_title_word(span.doc[lo - 1].text):
        lo -= 1
    first = next((i for i in range(lo, head.i) if is_first_name(span.doc[i].text)), None)
    if first is not None:
        if (first > lo or fold(head.text) in ORGANIZATION_HEADS) and all(
                t.ent_type_ == "ORG" for t in span.doc[lo:head.i + 1]):
            # "The New York Times": a first name inside the name of a body the recogniser found; "The Kenya
            # Association of Manufacturers": a body's name that opens with a word used as a first name
            return None
        lo = first  # "… to the United Nations Nikki Haley": the name starts at a known first name
    elif lo == span.start or not is_title_word(span.doc[lo - 1].text) or head.i - lo > 3:
        return None
    words = [t.text for t in span.doc[lo:head.i + 1]]
    if len(words) < 2 or countries.country_code(" ".join(words)):
        return None
    if first is None and span.doc[lo - 1].ent_type_ == "ORG" and head.ent_type_ == "ORG":
        return None  # "State Information Service": the title word opens a body the recogniser found, no first name
    return " ".join(words)


def is_cue_form(word: str) -> bool:
    """A speech verb's regular past form ("Added", "Continued"), which no first name is; "Said" is one."""
    return word.lower().endswith("ed") and speech_verb_form(word) is not None


def _middles(name: str) -> list[str]:
    """The middle names and initials of a full name, split at dots ("H.W." gives h, w)."""
    words = name.split()
    while len(words) > 2 and fold(words[-1]).strip(".,") in NAME_SUFFIXES:
        words.pop()
    return [p for w in words[1:-1] for p in fold(w).split(".") if p]


def middles_agree(a: str, b: str) -> bool:
    """Whether two full names' middle names or initials can be the same ("H. W." and "H.W.", "W." and
    "Walker"); a name without any agrees with every other."""
    x, y = _middles(a), _middles(b)
    if not x or not y:
        return True
    return len(x) == len(y) and all(m == n or (min(len(m), len(n)) == 1 and m[0] == n[0]) for m, n in zip(x, y))


def body_name(text: str) -> str:
    """A body's name as the recogniser tagged it, without a possessive or a leading "the"."""
    name = strip_possessive(text)
    return name[4:] if name.lower().startswith("the ") else name


def phrase_text(span: Span) -> str:
    words = [t.text_with_ws for t in span if not (t.i == span.start and t.lower_ in DETERMINERS)]
    return "".join(words).strip()


def is_people_word(word: str) -> bool:
    """Whether a description's head noun names people ("residents", "a fire officer", "eyewitnesses")."""
    word = fold(word)
    return any(w in PEOPLE_WORDS for w in (word, word.removesuffix("s"), word.removesuffix("es")))
