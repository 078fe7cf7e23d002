"""Read articles from files, folders and standard input as raw documents, or one-line input errors."""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Iterable, Iterator, Sequence, TextIO

from quotes import config

TEXT_EXTENSIONS = (".txt", ".text")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
JSON_EXTENSIONS = (".json",)
JSONL_EXTENSIONS = (".jsonl", ".ndjson")
#: What a folder is searched for. Markdown is read when named explicitly, but not picked up from a
#: folder, where it is far more often a README than an article.
FOLDER_EXTENSIONS = TEXT_EXTENSIONS + HTML_EXTENSIONS + JSON_EXTENSIONS + JSONL_EXTENSIONS

#: RawDocument fields a JSON record can fill; ``fields`` maps them to the record's own key names.
RECORD_FIELDS = ("text", "title", "url", "published", "outlet", "author")

STDIN_SOURCE = "<stdin>"

#: Raw HTML may be this many times larger than the text limit (scripts, markup) before it is refused.
HTML_SIZE_FACTOR = 10
#: Less main text than this (characters) means trafilatura found navigation and banners, not an article.
MIN_HTML_TEXT_CHARS = 100

_BOM = b"\xef\xbb\xbf"


@dataclass
class RawDocument:
    """One article as read, before normalisation; metadata where the file format carries it."""

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: date | None = None
    outlet: str | None = None
    author: str | None = None
    encoding: str | None = None  # set when the bytes were not UTF-8 and this legacy encoding was assumed


class InputError(Exception):
    """A file, record or stream that could not be read: ``str(e)`` is one line naming it."""

    def __init__(self, source: str, problem: str):
        problem = " ".join(str(problem).split())  # always one line, whatever an exception said
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem

    def __reduce__(self):
        return (type(self), (self.source, self.problem))


class _Problem(Exception):
    """Internal: what is wrong with the input at hand; the caller knows which source it is."""


def read_paths(paths: Sequence[str], *, fields: dict | None = None, stdin: TextIO | None = None,
               max_chars: int = config.MAX_ARTICLE_CHARS) -> Iterator[RawDocument | InputError]:
    """Yield a RawDocument or an InputError for every article in ``paths``, in order; never raise for bad input.

    A path is a file, a folder (searched recursively, in sorted order, for FOLDER_EXTENSIONS) or
    "-" for standard input. ``fields`` renames JSON record keys, e.g. {"text": "body"}.
    """
    mapping = _field_mapping(fields)
    return _read_all([os.fspath(p) for p in paths], mapping, stdin, max_chars)


def _field_mapping(fields: dict | None) -> dict[str, str]:
    unknown = set(fields or ()) - set(RECORD_FIELDS)
    if unknown:
        raise ValueError(f"unknown record field(s) {sorted(unknown)}; known: {', '.join(RECORD_FIELDS)}")
    mapping = {name: name for name in RECORD_FIELDS}
    mapping.update({k: str(v) for k, v in (fields or {}).items()})
    return mapping


def _read_all(paths: list[str], fields: dict[str, str], stdin: TextIO | None,
              max_chars: int) -> Iterator[RawDocument | InputError]:
    for path in paths:
        if path == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, fields, max_chars)
        elif os.path.isdir(path):
            yield from _read_folder(path, fields, max_chars)
        else:
            yield from _read_file(path, fields, max_chars)


def _read_folder(folder: str, fields: dict[str, str], max_chars: int) -> Iterator[RawDocument | InputError]:
    errors: list[InputError] = []
    found = reported = 0

    def walk_error(exc: OSError) -> None:
        errors.append(InputError(exc.filename or folder, _os_problem(exc)))

    for root, dirs, names in os.walk(folder, onerror=walk_error):
        reported += len(errors)
        yield from errors
        errors.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or not name.lower().endswith(FOLDER_EXTENSIONS):
                continue
            found += 1
            yield from _read_file(os.path.join(root, name), fields, max_chars)
    reported += len(errors)
    yield from errors
    if not found and not reported:
        yield InputError(folder, f"no article files in folder (looked for {' '.join(FOLDER_EXTENSIONS)})")


def _read_file(path: str, fields: dict[str, str], max_chars: int) -> Iterator[RawDocument | InputError]:
    if not os.path.exists(path):
        yield InputError(path, "no such file or directory")
        return
    if not os.path.isfile(path):
        yield InputError(path, "not a regular file")
        return
    ext = os.path.splitext(path)[1].lower()
    try:
        if ext in JSONL_EXTENSIONS:
            yield from _read_jsonl_file(path, fields, max_chars)
        elif ext in JSON_EXTENSIONS:
            yield from _read_json_file(path, fields, max_chars)
        elif ext in HTML_EXTENSIONS:
            yield _read_html_file(path, max_chars)
        else:
            yield _read_text_file(path, max_chars)
    except _Problem as exc:
        yield InputError(path, str(exc))
    except OSError as exc:
        yield InputError(path, _os_problem(exc))


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied (cannot read it)"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return f"cannot read: {exc.strerror or exc}"


def _read_bytes(path: str, max_bytes: int, max_chars: int) -> bytes:
    size = os.stat(path).st_size
    if size > max_bytes:
        raise _Problem(f"too large: {size:,} bytes (limit {max_chars:,} characters)")
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        raise _Problem("empty file")
    return data


def _decode(data: bytes, legacy: bool = False) -> str:
    """Decode UTF-8 (a BOM is fine, UTF-16 with a BOM too), or say why the bytes are not text.

    ``legacy``: bytes that are not UTF-8 are decoded in the legacy encoding they look like
    (see legacy_encoding) instead of being refused; the caller learns which through _decode_text.
    """
    return _decode_text(data, legacy)[0]


def _decode_text(data: bytes, legacy: bool = False) -> tuple[str, str | None]:
    """(text, the legacy encoding assumed or None for UTF-8/UTF-16); see _decode."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise _Problem(f"invalid UTF-16 at byte {exc.start}") from None
    if b"\x00" in data:
        raise _Problem("binary file (contains NUL bytes), not text")
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[skip:].decode("utf-8"), None
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        line = data.count(b"\n", 0, at) + 1
        problem = f"not valid UTF-8: byte 0x{data[at]:02x} at offset {at} (line {line})"
    encoding = legacy_encoding(data[skip:]) if legacy and not skip else None
    if encoding is None:
        raise _Problem(f"{problem}; save the file as UTF-8")
    return data.decode(encoding), encoding


#: Legacy encodings are told apart by charset-normalizer, reading at most this many bytes (it samples).
DETECT_BYTES = 1 << 20
#: What most legacy Western texts are; Latin-1 text is the same in it (its 0x80-0x9f are controls
#: nobody types). Chosen whenever it reads the bytes as well as the detector's own best guess, which
#: on short texts is often a neighbour (cp1250 for French, cp1006 for one "é").
WESTERN = "cp1252"


def legacy_encoding(data: bytes) -> str | None:
    """The legacy (non-UTF-8) encoding ``data`` is most likely in, or None if no encoding reads it as text."""
    from charset_normalizer import from_bytes  # only files that are not UTF-8 need it

    sample = data[:DETECT_BYTES]
    best = from_bytes(sample).best()
    western = from_bytes(sample, cp_isolation=[WESTERN]).best()
    if western is not None and (best is None or (western.chaos <= best.chaos + 0.02
                                                  and western.coherence >= best.coherence - 0.15)):
        encoding = WESTERN
    elif best is not None:
        encoding = best.encoding
    else:
        return None
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):  # the sample read, the rest does not
        return None
    return encoding


def load_json(text: str | bytes) -> Any:
    """json.loads, with every way a hostile value can fail (too deep, a number too long) a ValueError
    whose message is one line; json.JSONDecodeError keeps its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise ValueError(f"unreadable JSON value ({exc})") from None


def _json_problem(exc: ValueError, at: str = "at ") -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON {at}line {exc.lineno}, column {exc.colno}: {exc.msg}"
    return str(exc)


def _check_text(text: str, max_chars: int, what: str = "file") -> str:
    if not text.strip():
        raise _Problem(f"empty {what} (only whitespace)" if text else f"empty {what}")
    if len(text) > max_chars:
        raise _Problem(f"too large: {len(text):,} characters (limit {max_chars:,})")
    return text


def _read_text_file(path: str, max_chars: int) -> RawDocument:
    # A UTF-8 character is at most 4 bytes, so anything bigger is too long without decoding it.
    data = _read_bytes(path, 4 * max_chars + len(_BOM), max_chars)
    text, encoding = _decode_text(data, legacy=True)
    return RawDocument(source=path, text=_check_text(text, max_chars), encoding=encoding)


# --- HTML ---------------------------------------------------------------------------------

def _read_html_file(path: str, max_chars: int) -> RawDocument:
    data = _read_bytes(path, HTML_SIZE_FACTOR * max_chars, max_chars)
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Problem("binary file (contains NUL bytes), not HTML")
    try:
        content: str | bytes = _decode(data)
    except _Problem:
        content = data  # not UTF-8: trafilatura honours the page's declared charset
    return html_document(content, path, max_chars)


def html_document(content: str | bytes, source: str, max_chars: int = config.MAX_ARTICLE_CHARS) -> RawDocument:
    """Extract an HTML page's main text (paragraphs separated by blank lines) and metadata with trafilatura."""
    import trafilatura  # slow to import; only HTML needs it
    from trafilatura.xml import xmltotxt

    try:
        doc = trafilatura.bare_extraction(content, with_metadata=True, include_comments=False,
                                          include_tables=False, config=_trafilatura_config())
    except Exception as exc:  # a third-party parser on arbitrary input: any failure is a bad file
        raise _Problem(f"cannot parse HTML ({type(exc).__name__}: {exc})") from None
    if doc is None:
        raise _Problem("no article text found in the HTML")
    if doc.body is not None and len(doc.body):
        blocks = (xmltotxt(el, False).strip() for el in doc.body)
        text = "\n\n".join(b for b in blocks if b)
    else:
        text = doc.text or ""
    if not text.strip():
        raise _Problem("no article text found in the HTML")
    _check_text(text, max_chars)
    return RawDocument(source=source, text=text, title=doc.title or None, url=doc.url or None,
                       published=_lenient_date(doc.date), outlet=doc.sitename or None,
                       author=doc.author or None)


@lru_cache(maxsize=1)
def _trafilatura_config():
    from trafilatura.settings import use_config

    cfg = use_config()
    cfg.set("DEFAULT", "MIN_OUTPUT_SIZE", str(MIN_HTML_TEXT_CHARS))
    return cfg


def _lenient_date(value: Any) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


#: Dates written with the day first ("19/09/2023") are read day first, as outside the US they are;
#: a US-style month-first date with a day over 12 ("09/19/2023") is still read right.
DAY_FIRST = True


def parse_date(value: Any) -> date | None:
    """Turn a date string (or a date) into a date; ValueError if it is none.

    ISO 8601 dates and datetimes (with a time zone too), RFC 2822 dates as feeds write them
    ("Tue, 19 Sep 2023 10:00:00 GMT") and dates in words ("September 19, 2023", "19 Sept. 2023") are
    read (with python-dateutil); a datetime gives the date it names, in its own time zone. A string
    that leaves out the year, month or day is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a date: {_shown(value)}")
    s = value.strip()
    if len(s) > 100 or not _ISO_LIKE.match(s):  # fromisoformat reads "1111111111" as 1111-11-11
        found = _written_date(s) if 6 <= len(s) <= 100 else None
        if found is None:
            raise ValueError(f"not a date: {_shown(value)}")
        return found
    try:
        return datetime.fromisoformat(s).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(s[:10])  # a date followed by something fromisoformat rejects
    except ValueError:
        pass
    found = _written_date(s) if 6 <= len(s) <= 100 else None
    if found is None:
        raise ValueError(f"not a date: {_shown(value)}")
    return found


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_ISO_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])|\d{8}(?:$|T)")
_YEAR_FIRST = re.compile(r"\d{4}\D")


def _written_date(s: str) -> date | None:
    """An RFC 2822 or worded date, or None; each of year, month and day must be in the text."""
    from email.utils import parsedate_to_datetime

    from dateutil import parser

    try:
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    # Parsed against two defaults that differ in every field: a field the text lacks shows as a difference.
    # A year first is followed by month then day, as in ISO 8601 ("2021-13-01" is no date, not 13 January).
    year_first = bool(_YEAR_FIRST.match(s))
    found = []
    for default in (datetime(2001, 1, 1), datetime(2002, 2, 2)):
        try:
            found.append(parser.parse(s, default=default, dayfirst=DAY_FIRST and not year_first,
                                      yearfirst=year_first, fuzzy=False).date())
        except (ValueError, OverflowError, TypeError):
            return None
    return found[0] if found[0] == found[1] else None


# --- JSON and JSON Lines ------------------------------------------------------------------

def _read_json_file(path: str, fields: dict[str, str], max_chars: int) -> Iterator[RawDocument | InputError]:
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        raise _Problem("empty file")
    text, encoding = _decode_text(data, legacy=True)
    if not text.strip():
        raise _Problem("empty file (only whitespace)")
    for item in _json_records(text, path, fields, max_chars):
        if isinstance(item, RawDocument):
            item.encoding = encoding
        yield item


def _json_records(text: str, source: str, fields: dict[str, str], max_chars: int) -> Iterator[RawDocument | InputError]:
    try:
        value = load_json(text)
    except ValueError as exc:
        raise _Problem(_json_problem(exc)) from None
    if isinstance(value, dict):
        yield _record_or_error(value, source, fields, max_chars)
    elif isinstance(value, list):
        if not value:
            raise _Problem("no records (empty JSON array)")
        for n, item in enumerate(value, 1):
            yield _record_or_error(item, f"{source}#{n}", fields, max_chars)
    else:
        raise _Problem(f"expected a JSON object or an array of objects, found {_json_type(value)}")


def _read_jsonl_file(path: str, fields: dict[str, str], max_chars: int) -> Iterator[RawDocument | InputError]:
    with open(path, "rb") as f:
        yield from _jsonl_records(f, path, fields, max_chars)


def _jsonl_records(lines: Iterable[bytes | str], source: str, fields: dict[str, str],
                   max_chars: int) -> Iterator[RawDocument | InputError]:
    """One record per non-blank line; the record's source is ``source#LINE``."""
    records = 0
    legacy: str | None = None  # the encoding of the file's first line that is not UTF-8, kept for the others
    for lineno, line in enumerate(lines, 1):
        where = f"{source}#{lineno}"
        encoding = None
        if isinstance(line, bytes):
            if lineno == 1:
                line = line.removeprefix(_BOM)
            if b"\x00" in line:
                raise _Problem(f"binary file (contains NUL bytes on line {lineno}), not JSON Lines")
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                problem = (f"line {lineno} is not valid UTF-8 (byte 0x{line[exc.start]:02x} "
                           f"at column {exc.start + 1})")
                legacy = legacy or legacy_encoding(line)
                try:
                    line, encoding = line.decode(legacy), legacy
                except (TypeError, UnicodeDecodeError):  # no legacy encoding reads it either
                    yield InputError(where, problem)
                    continue
        if not line.strip():
            continue
        records += 1
        try:
            value = load_json(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"invalid JSON on line {lineno}, column {exc.colno}: {exc.msg}")
            continue
        except ValueError as exc:
            yield InputError(where, f"line {lineno}: {exc}")
            continue
        item = _record_or_error(value, where, fields, max_chars)
        if isinstance(item, RawDocument):
            item.encoding = encoding
        yield item
    if not records:
        raise _Problem("empty file (no JSON records)")


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")


def _lookup(record: dict, key: str) -> Any:
    """record[key], or a nested value for a dotted key such as "meta.date"."""
    if key in record:
        return record[key]
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _record_or_error(value: Any, source: str, fields: dict[str, str], max_chars: int) -> RawDocument | InputError:
    try:
        return _record(value, source, fields, max_chars)
    except _Problem as exc:
        return InputError(source, str(exc))


def _record(value: Any, source: str, fields: dict[str, str], max_chars: int) -> RawDocument:
    if not isinstance(value, dict):
        raise _Problem(f"record is {_json_type(value)}, not a JSON object")
    key = fields["text"]
    text = _lookup(value, key)
    if text is None:
        keys = ", ".join(list(value)[:8]) or "none"
        raise _Problem(f"record has no {key!r} field for the article text (its fields: {keys})")
    if not isinstance(text, str):
        raise _Problem(f"field {key!r} is {_json_type(text)}, not a string")
    _check_text(text, max_chars, what=f"{key!r} field")
    meta: dict[str, Any] = {}
    for name in ("title", "url", "outlet", "author"):
        item = _lookup(value, fields[name])
        if isinstance(item, list) and name == "author" and all(isinstance(a, str) for a in item):
            item = ", ".join(a.strip() for a in item if a.strip())
        if item is not None and not isinstance(item, str):
            raise _Problem(f"field {fields[name]!r} is {_json_type(item)}, not a string")
        meta[name] = (item or "").strip() or None
    try:
        published = parse_date(_lookup(value, fields["published"]))
    except ValueError as exc:
        raise _Problem(f"field {fields['published']!r}: {exc} (expected e.g. 2023-09-19 or "
                       f"Tue, 19 Sep 2023 10:00:00 GMT)") from None
    return RawDocument(source=source, text=text, published=published, **meta)


# --- standard input -----------------------------------------------------------------------

def _read_stdin(stream: TextIO, fields: dict[str, str], max_chars: int) -> Iterator[RawDocument | InputError]:
    """Plain text, or JSON / JSON Lines records when the input looks like them."""
    try:
        buffer = getattr(stream, "buffer", None)
        encoding = None
        if buffer is not None:
            data = buffer.read()
            if not data:
                raise _Problem("empty input")
            text, encoding = _decode_text(data, legacy=True)
        else:
            text = stream.read().removeprefix("\ufeff")
        if not text.strip():
            raise _Problem("empty input (only whitespace)" if text else "empty input")
        if _looks_like_json(text):
            yield from _json_records(text, STDIN_SOURCE, fields, max_chars)
        elif _looks_like_jsonl(text):
            yield from _jsonl_records(text.split("\n"), STDIN_SOURCE, fields, max_chars)
        else:
            yield RawDocument(source=STDIN_SOURCE, text=_check_text(text, max_chars, what="input"),
                              encoding=encoding)
    except _Problem as exc:
        yield InputError(STDIN_SOURCE, str(exc))
    except (OSError, UnicodeDecodeError) as exc:
        yield InputError(STDIN_SOURCE, f"cannot read standard input: {exc}")


def _looks_like_json(text: str) -> bool:
    start = text.lstrip()[:1]
    if start not in ("{", "["):
        return False
    try:
        return isinstance(load_json(text), (dict, list))
    except json.JSONDecodeError:
        return False
    except ValueError:  # JSON, but too deep or too long a number: _json_records says so
        return True


def _looks_like_jsonl(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    if not first.startswith("{"):
        return False
    try:
        return isinstance(load_json(first), dict)
    except json.JSONDecodeError:
        return False
    except ValueError:
        return True
