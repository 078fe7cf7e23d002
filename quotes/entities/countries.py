"""Country knowledge: names, demonyms, capitals and metonyms to ISO 3166-1 alpha-2 codes.

Library data comes from ``pycountry`` (ISO codes and names) and ``countryinfo`` (demonyms,
capitals, alternative spellings, population); ``data/countries_extra.tsv`` adds what they lack
(metonyms, common abbreviations, extra demonyms, supranational bodies) and drops library
entries that mostly mean something else. Tables are built on first use and cached, so importing
this module stays cheap.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from typing import NamedTuple

#: A run of word characters; a position no word character follows (the end of the text too).
_WORD_RUN = re.compile(r"\w+")
_WORD_END = re.compile(r"(?!\w)")

#: Table value of a phrase that contains a country word but is not a country mention.
BLOCKED = "-"
#: Prefix of a table value that names a supranational body rather than a country.
SUPRA = "@"

ORGANIZATION_KINDS = ("government", "party", "company", "international", "ngo", "media", "other")

# Organisation-kind rules are tried in this order; the first that matches wins. Specific names
# come before generic words because they contain words of other kinds ("council", "group").
NGO_NAMES = (
    "council on foreign relations", "human rights watch", "amnesty international", "amnesty",
    "crisis group", "red cross", "red crescent", "transparency international",
    "reporters without borders", "doctors without borders", "médecins sans frontières",
    "freedom house", "committee to protect journalists", "think tank", "think-tank",
    "non-governmental", "nongovernmental", "NGO",
)
MEDIA_NAMES = (
    "news agency", "press agency", "newspaper", "broadcaster", "broadcasting", "television",
    "TV", "radio", "magazine", "tabloid", "news outlet", "news website", "news site",
    "Reuters", "Associated Press", "AFP", "Agence France-Presse", "BBC", "CNN", "Al Jazeera",
)
#: Armed groups: their "group" does not make them companies.
ARMED_GROUP_NAMES = (
    "militant group", "rebel group", "armed group", "terrorist group", "militia", "rebels",
    "insurgents", "paramilitary",
)
INTERNATIONAL_KEYWORDS = ("intergovernmental", "supranational")
GOVERNMENT_KEYWORDS = (
    "ministry", "ministries", "minister", "government", "govt", "cabinet",
    "council of ministers", "security council", "state council", "city council", "parliament",
    "congress", "senate", "house of representatives", "house of commons", "house of lords",
    "national assembly", "duma", "knesset", "presidency", "presidential administration",
    "president's office", "office of the president", "prime minister's office",
    "administration", "department", "agency", "service", "commission", "state committee",
    "army", "navy", "air force", "armed forces", "military", "defence forces", "defense forces",
    "police", "border guard", "corps", "prosecutor", "prosecutor's office", "supreme court",
    "constitutional court", "high court", "appeals court", "court of appeal", "district court",
    "central bank", "embassy", "consulate", "municipality", "mayor's office", "governorate", "federal",
)
#: A state's own boards and offices: "National Transportation Safety Board", "Federal Statistical Office".
_NATIONAL_BODY = re.compile(r"^(?:the\s+)?(?:National|Federal|State)\s.*\b(?:Board|Authority|Bureau|Office|Council"
                            r"|Institutes?|Directorate|Inspectorate)\b")
#: A state's missions abroad: they speak for the state that sends them, never for the country they sit in.
DIPLOMATIC_KEYWORDS = ("embassy", "embassies", "consulate", "consulate general", "high commission", "legation")
PARTY_KEYWORDS = (
    "party", "Democrats", "Republicans", "Conservatives", "Tories", "Labour",
    "Liberal Democrats", "Greens",
)
COMPANY_KEYWORDS = (
    "Inc", "Corp", "Corporation", "Ltd", "LLC", "plc", "GmbH", "S.A.", "Co.", "company",
    "group", "holding", "holdings", "bank", "airlines", "airways", "industries", "technologies",
)
MEDIA_KEYWORDS = (
    "news", "times", "post", "herald", "gazette", "tribune", "journal", "daily", "press",
    "chronicle", "telegraph", "observer", "guardian", "monitor", "mail", "insider",
)
OTHER_KEYWORDS = ("university", "college", "school", "church", "academy")
NGO_KEYWORDS = (
    "foundation", "institute", "institution", "charity", "watch", "association", "center",
    "centre", "society", "initiative", "council", "fund",
)

#: Phrases whose lookups are remembered (a process extracting many articles meets the same words again).
LOOKUP_CACHE = 1 << 16
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_POSSESSIVE = re.compile(r"(?:'s|')$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


class _Tables(NamedTuple):
    exact: dict[str, str]  # alias as written -> code, SUPRA + body, or BLOCKED
    folded: dict[str, str]  # case- and accent-folded alias -> same; no acronyms
    names: dict[str, str]  # code -> common short name
    alpha3: dict[str, str]  # alpha-3 -> alpha-2
    metonyms: frozenset[str]  # folded metonyms ("kremlin")
    first_words: frozenset[str]  # the run of word characters each key of exact begins with
    longest: int  # the longest key of exact, in characters


def _fold(text: str) -> str:
    """Strip accents: 'Élysée' -> 'Elysee'."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)


def _key(text: str) -> str:
    return _fold(text).casefold()


def _is_acronym(alias: str) -> bool:
    """'US', 'U.S.', 'UAE': written without lower-case letters, so matched only as written."""
    return not any(c.islower() for c in alias)


def _is_latin(text: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in text)


def _as_list(value: object) -> list[str]:
    """A countryinfo field that may be missing, a string or a list of strings."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return []


def _plurals(demonym: str) -> list[str]:
    """'Armenian' -> 'Armenians'; 'French', 'Swiss', 'Chinese' have no -s plural."""
    if demonym.endswith(("an", "i", "o", "k", "er", "ot", "ite")):
        return [demonym + "s"]
    return []


def _read_extra() -> list[tuple[str, str, str]]:
    """Rows (kind, target, text) of data/countries_extra.tsv."""
    from importlib import resources

    path = resources.files("quotes.data").joinpath("countries_extra.tsv")
    text = path.read_text(encoding="utf-8")
    rows = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) < 3:
            raise ValueError(f"countries_extra.tsv line {number}: want kind<TAB>target<TAB>text")
        rows.append((parts[0].strip(), parts[1].strip(), parts[2].strip().translate(_APOSTROPHES)))
    return rows


def _library_entries() -> Iterator[tuple[str, str]]:
    """(alias, alpha-2) from pycountry and countryinfo, smallest countries first."""
    import pycountry
    from countryinfo import CountryInfo

    iso = {c.alpha_2: c for c in pycountry.countries}
    population: dict[str, int] = {}
    aliases: dict[str, list[str]] = {code: [] for code in iso}
    for record in CountryInfo.all().values():
        code = (record.get("ISO") or {}).get("alpha2")
        if code not in iso:
            continue  # dissolved or non-ISO entries (Netherlands Antilles, Serbia and Montenegro)
        population[code] = max(population.get(code, 0), record.get("population") or 0)
        found = aliases[code]
        found.append(record["name"])
        found += _as_list(record.get("altSpellings"))
        for demonym in _as_list(record.get("demonym")):
            for part in re.split(r"[,/]", demonym):
                found += [part, *_plurals(part.strip())]
        for capital in _as_list(record.get("capital")):
            found += capital.split(" / ")
    for code, country in iso.items():
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                aliases[code].append(_LEADING_THE.sub("", value))
    # Larger countries come last so they win shared words ("French", "Chinese", "Dominican").
    for code in sorted(aliases, key=lambda c: population.get(c, 0)):
        country = iso[code]
        codes = {code, country.alpha_3}
        for alias in aliases[code]:
            alias = alias.strip().translate(_APOSTROPHES)
            # Codes such as "AND", "CAN", "ARM" are words in running text; only curated ones count.
            inverted = "," in alias or "(" in alias  # "Korea, Republic of"
            if alias and alias not in codes and not inverted and _is_latin(alias):
                yield alias, code


def _display_names(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    """Code -> short name: the TSV's choice, else pycountry's common name, else countryinfo's."""
    import pycountry
    from countryinfo import CountryInfo

    best: dict[str, tuple[int, str]] = {}
    for record in CountryInfo.all().values():
        code = (record.get("ISO") or {}).get("alpha2")
        name = record.get("name") or ""
        if code and "," not in name and "(" not in name:
            size = record.get("population") or 0
            if code not in best or size > best[code][0]:
                best[code] = (size, name)
    names = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names[code] = getattr(country, "common_name", None) or best.get(code, (0, country.name))[1]
    names.update({target: text for kind, target, text in rows if kind == "name"})
    return names


def _trie_regex(words: Iterable[str]) -> str:
    """A regex alternation shaped as a character trie: fast, and greedy finds the longest match."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


#: The format of the tables kept on disk; a change to what _build_tables gives must raise it.
TABLES_VERSION = 2


@cache
def _tables() -> _Tables:
    """Every lookup table, on first use: built once per installed pycountry, countryinfo and
    countries_extra.tsv and kept on disk (diskcache), as building them cost every process 0.1 s."""
    import hashlib
    from importlib import metadata, resources

    from .diskcache import cached_json

    extra = resources.files("quotes.data").joinpath("countries_extra.tsv").read_bytes()
    try:
        pycountry_version = metadata.version("pycountry")
    except metadata.PackageNotFoundError:
        pycountry_version = "0"
    name = f"countries-{hashlib.sha256(extra).hexdigest()[:12]}-pycountry-{pycountry_version}"
    data = cached_json(name, "countryinfo", TABLES_VERSION, _build_tables)
    return _Tables(exact=data["exact"], folded=data["folded"], names=data["names"], alpha3=data["alpha3"],
                   metonyms=frozenset(data["metonyms"]), first_words=frozenset(data["first_words"]),
                   longest=data["longest"])


def _build_tables() -> dict:
    """The lookup tables as JSON values."""
    import pycountry

    rows = _read_extra()
    dropped = {_key(text) for kind, _, text in rows if kind == "drop"}
    exact: dict[str, str] = {}
    for alias, code in _library_entries():
        # "The Valley" is dropped as "Valley": the article is often lower-case in running text.
        if _key(_LEADING_THE.sub("", alias)) not in dropped:
            exact[alias] = code
    known = {code for code in exact.values()} | {t for kind, t, _ in rows if kind == "name"}
    metonyms = set()
    for kind, target, text in rows:
        if kind in ("alias", "metonym"):
            if target not in known:
                raise ValueError(f"countries_extra.tsv: unknown code {target!r} for {text!r}")
            exact[text] = target
            if kind == "metonym":
                metonyms.add(_key(text))
        elif kind == "supranational":
            exact[text] = SUPRA + target
        elif kind == "block":
            exact[text] = BLOCKED
        elif kind == "name":
            exact.setdefault(text, target)
        elif kind not in ("drop", "government", "namesake"):
            raise ValueError(f"countries_extra.tsv: unknown kind {kind!r}")
    for alias, value in list(exact.items()):
        bare = _LEADING_THE.sub("", alias)
        for variant in {bare, _fold(alias), _fold(bare)}:
            if variant not in exact and _key(variant) not in dropped:
                exact[variant] = value
    folded: dict[str, str] = {}
    for alias, value in exact.items():
        if not _is_acronym(alias):
            folded.setdefault(_key(alias), value)
    scan = dict(exact)
    for alias, value in exact.items():
        if "'" in alias:
            scan.setdefault(alias.replace("'", "\u2019"), value)
        if not _is_acronym(alias) and len(alias) > 3:
            scan.setdefault(alias.upper(), value)  # headlines in capitals
    alpha3 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    first_words = sorted({_WORD_RUN.match(alias).group() for alias in scan})  # each begins with a word character
    return dict(exact=scan, folded=folded, names=_display_names(rows), alpha3=alpha3, metonyms=sorted(metonyms),
                first_words=first_words, longest=max(map(len, scan)))


def _variants(text: str) -> Iterator[str]:
    """The text as given, without a leading 'the', without a possessive ending, and both."""
    text = " ".join(text.split()).translate(_APOSTROPHES)
    seen = set()
    bare = _LEADING_THE.sub("", text)
    for candidate in (text, bare, _POSSESSIVE.sub("", text), _POSSESSIVE.sub("", bare)):
        candidate = candidate.strip()
        if candidate and candidate not in seen:
            seen.add(candidate)
            yield candidate


@lru_cache(maxsize=LOOKUP_CACHE)
def _lookup(text: str, *, any_case: bool = False) -> str | None:
    """Table value for a whole phrase: exact, then any case if it starts upper-case."""
    # memoised: the entity rules ask about the same few thousand words of an article many times over
    if not text or not text.strip():
        return None
    tables = _tables()
    candidates = list(_variants(text))
    for candidate in candidates:
        if candidate in tables.exact:
            return tables.exact[candidate]
    for candidate in candidates:
        # A lower-case start is ordinary prose ("turkey", "chad"), not a name.
        if any_case or candidate[0].isupper():
            value = tables.folded.get(_key(candidate))
            if value is not None:
                return value
    return None


def country_code(text: str) -> str | None:
    """ISO alpha-2 code for a country name, demonym, capital or metonym ('the Kremlin' -> 'RU'); None for a name
    the current article reads as a place elsewhere (``reading_as_places``)."""
    value = _lookup(text)
    if value is None or value == BLOCKED or value.startswith(SUPRA):
        return None
    places = _AS_PLACES.get()
    if places and any(variant in places for variant in _variants(text)):
        return None
    return value


#: Names of countries that the article being read takes for places of another country (``reading_as_places``).
_AS_PLACES: ContextVar[frozenset[str]] = ContextVar("quotes_as_places", default=frozenset())


@contextmanager
def reading_as_places(names: Iterable[str]) -> Iterator[None]:
    """Within the block, ``names`` (country names, as written) are no countries but places, as in an article
    where "Georgia" is the US state; country_code and find_countries pass them over."""
    token = _AS_PLACES.set(frozenset(names))
    try:
        yield
    finally:
        _AS_PLACES.reset(token)


@cache
def namesakes() -> dict[str, tuple[str, str]]:
    """Country names that are also a state of another country: name -> (the country's code, the other's)."""
    return {text: (_lookup(text), target) for kind, target, text in _read_extra() if kind == "namesake"}


def is_metonym(text: str) -> bool:
    """Whether a phrase is a building or street standing for a government ("the Kremlin", "Downing Street")."""
    return _key(_LEADING_THE.sub("", text.strip())) in _tables().metonyms


def supranational(text: str) -> str | None:
    """Canonical name of the supranational body a phrase names ('EU' -> 'European Union')."""
    value = _lookup(text)
    if value is not None and value.startswith(SUPRA):
        return value[len(SUPRA):]
    return None


def _scan(text: str) -> Iterator[tuple[int, int, str]]:
    """Every table hit (countries, bodies, blocked phrases), leftmost and then longest first: a key of the table
    that starts and ends at word boundaries, none overlapping the one before."""
    # Looked up, not matched with one regular expression of every key: compiling that took 0.05 s in every
    # process, more than all the scans of a batch of articles.
    tables = _tables()
    exact, first_words, longest = tables.exact, tables.first_words, tables.longest
    ends: list[int] | None = None  # where a key may end: before a character that is not a word character
    done = 0
    for word in _WORD_RUN.finditer(text):
        start = word.start()
        if start < done or word.group() not in first_words:
            continue
        if ends is None:
            ends = [m.start() for m in _WORD_END.finditer(text)]
        for k in range(bisect_right(ends, start + longest) - 1, bisect_right(ends, start) - 1, -1):
            value = exact.get(text[start:ends[k]])
            if value is not None:
                done = ends[k]
                yield start, done, value
                break


def find_countries(text: str) -> list[tuple[int, int, str]]:
    """(start, end, alpha-2) for every country mention in a phrase, in text order (but the names the article
    reads as places: ``reading_as_places``)."""
    places = _AS_PLACES.get()
    return [
        (start, end, value)
        for start, end, value in _scan(text)
        if value != BLOCKED and not value.startswith(SUPRA) and not (places and text[start:end] in places)
    ]


def resolve_country_arg(value: str) -> str | None:
    """Alpha-2 for a CLI filter value: an alpha-2 or alpha-3 code, or any name or demonym."""
    value = value.strip()
    tables = _tables()
    if value.isalpha() and len(value) == 2 and value.upper() in tables.names:
        return value.upper()
    if value.isalpha() and len(value) == 3 and value.upper() in tables.alpha3:
        return tables.alpha3[value.upper()]
    found = _lookup(value, any_case=True)
    if found is None:
        found = tables.exact.get(value.upper())  # "uk", "uae" typed in lower case
    if found is None or found == BLOCKED or found.startswith(SUPRA):
        return None
    return found


def country_name(code: str) -> str:
    """Common short name for an alpha-2 code ('RU' -> 'Russia') (unknown codes as given)."""
    return _tables().names.get(code.upper(), code)


def government_name(code: str) -> str:
    """The name quotes gives a country's government as a speaker or organisation: "Government of X" (or its
    own name where it has one: the Holy See)."""
    return _governments().get(code.upper()) or f"Government of {country_name(code)}"


@cache
def _governments() -> dict[str, str]:
    return {target: text for kind, target, text in _read_extra() if kind == "government"}


#: Posts that only some countries have, matched as words (any case) inside a title: (post, countries
#: that have it), or (post, "!" + countries that lack it). They keep a person's guessed country
#: consistent with their title ("Prime Minister" in a US story is someone else's) and never give a
#: country by themselves. Presidential republics have no prime minister (France, Peru or South Korea do).
OFFICES = (
    ("Prime Minister", "!US,MX,BR,AR,CL,CO,VE,EC,BO,PY,UY,CR,PA,GT,HN,SV,NI,DO,ID,PH,NG,GH,KE,ZA,TR,IR,AF,CY,ZM,MW,BW"),
    ("Foreign Secretary", "GB,IN,PK,BD,MX"),
    ("Home Secretary", "GB,IN,PK,BD"),
    ("Chancellor of the Exchequer", "GB"),
    ("First Minister", "GB"),
    # parliaments with a senate whose members are called senators
    ("Senator", "US,CA,AU,FR,IT,ES,PL,CZ,RO,IE,BE,NL,MX,BR,AR,CL,CO,PY,UY,BO,DO,HT,PH,NG,KE,TH,MY,KH,PK,JM,TT,BS,"
                "BB,LR,ZW"),
)


@cache
def _offices() -> tuple[tuple[re.Pattern[str], frozenset[str], bool], ...]:
    """OFFICES compiled: (pattern, codes, whether the codes are the countries without the post)."""
    return tuple((re.compile(r"(?<!\w)" + re.escape(post) + r"(?!\w)", re.IGNORECASE),
                  frozenset(codes.lstrip("!").split(",")), codes.startswith("!"))
                 for post, codes in OFFICES)


def has_office(code: str, title: str) -> bool:
    """Whether a country has the post a title names (no prime minister in the United States, no senators in
    Britain); True for every post OFFICES does not list."""
    for pattern, codes, excluded in _offices():
        if pattern.search(title) and (code in codes) == excluded:
            return False
    return True


def organization_country(name: str) -> str | None:
    """Country an organisation belongs to, from its wording; None for supranational bodies."""
    for _, _, value in _scan(name.translate(_APOSTROPHES)):
        if value == BLOCKED:
            continue
        return None if value.startswith(SUPRA) else value
    return None


@cache
def _keyword_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + _trie_regex(w.casefold() for w in words) + r")s?(?!\w)")


def _has(words: tuple[str, ...], text: str) -> bool:
    return _keyword_regex(words).search(text) is not None


def is_diplomatic_mission(name: str) -> bool:
    """Whether an organisation's name is that of an embassy, consulate or high commission."""
    return _has(DIPLOMATIC_KEYWORDS, name.translate(_APOSTROPHES).casefold())


def organization_kind(name: str) -> str:
    """One of ORGANIZATION_KINDS, guessed from the keywords in an organisation's name."""
    text = name.translate(_APOSTROPHES).strip()
    lowered = text.casefold()
    if _has(NGO_NAMES, lowered):
        return "ngo"
    if _has(MEDIA_NAMES, lowered):
        return "media"
    if _has(ARMED_GROUP_NAMES, lowered):
        return "other"
    first = next((value for _, _, value in _scan(text) if value != BLOCKED), None)
    if (first is not None and first.startswith(SUPRA)) or _has(INTERNATIONAL_KEYWORDS, lowered):
        return "international"
    metonyms = _tables().metonyms
    # A country, capital or seat of power named as a speaker stands for its government.
    if (
        country_code(text) is not None
        or any(_key(text[start:end]) in metonyms for start, end, _ in _scan(text))
        or _has(GOVERNMENT_KEYWORDS, lowered)
        or _NATIONAL_BODY.search(text)
    ):
        return "government"
    for kind, words in (
        ("party", PARTY_KEYWORDS),
        ("other", OTHER_KEYWORDS),
        ("company", COMPANY_KEYWORDS),
        ("media", MEDIA_KEYWORDS),
        ("ngo", NGO_KEYWORDS),
    ):
        if _has(words, lowered):
            return kind
    return "other"

