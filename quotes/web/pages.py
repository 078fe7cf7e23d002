"""The data of each page, the same for its HTML and its JSON twin: query functions called with checked
parameters, their rows gathered into one dict. No SQL here; sessions come from the store."""
from __future__ import annotations

import calendar
import re
from time import perf_counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from quotes import query
from quotes.query import browse

#: Quotes per page, and the deepest a list pages (deeper pages cost more with every step: narrow instead).
PER_PAGE = 20
MAX_OFFSET = 10_000
#: Seconds a page may spend in the database before the counts not yet made are left out (SQLite): the
#: quotes themselves always come, facets and charts when there is time.
PAGE_BUDGET = 0.16
#: Most results who-said returns.
WHO_SAID_LIMIT = 20


class BadRequest(ValueError):
    """A parameter that cannot be used; the message is meant for the reader."""


_PARTIAL = re.compile(r"(\d{4})(?:-(\d{1,2}))?")


def date_bound(value: str | None, *, end: bool = False, name: str = "date") -> date | None:
    """YYYY-MM-DD, or a month (YYYY-MM) or year (YYYY): its first day, or with ``end`` its last."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        partial = _PARTIAL.fullmatch(text)
        if partial:
            year, month = int(partial.group(1)), partial.group(2)
            if month is None:
                return date(year, 12, 31) if end else date(year, 1, 1)
            month = int(month)
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"{name} {value!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)") from None


@dataclass
class QuoteQuery:
    """What a reader asked of the quotes: search text, filters, order and page."""

    q: str | None = None
    speaker: str | None = None
    country: str | None = None
    org: str | None = None
    outlet: str | None = None
    kind: str | None = None
    month: str | None = None
    since: str | None = None
    until: str | None = None
    min_confidence: float | None = None
    attributed: bool = False
    sort: str | None = None
    page: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def params(self) -> dict[str, Any]:
        """The query as URL parameters (empty ones left out)."""
        out = {k: v for k, v in asdict(self).items() if k != "extra" and v not in (None, "", False)}
        if out.get("page") == 1:
            del out["page"]
        return out

    def filters(self) -> dict[str, Any]:
        """Keyword arguments of the query functions' filters, checked."""
        if self.kind and self.kind not in query.QUOTE_KINDS:
            raise BadRequest(f"unknown quote kind {self.kind!r} (one of {', '.join(query.QUOTE_KINDS)})")
        if self.min_confidence is not None and not 0 <= self.min_confidence <= 1:
            raise BadRequest("min_confidence must be between 0 and 1")
        since = date_bound(self.since, name="since")
        until = date_bound(self.until, end=True, name="until")
        if self.month:
            if not re.fullmatch(r"\d{4}-\d{1,2}", self.month.strip()):
                raise BadRequest(f"month {self.month!r} is not a month (use YYYY-MM)")
            since = max(filter(None, (since, date_bound(self.month, name="month"))))
            until = min(filter(None, (until, date_bound(self.month, end=True, name="month"))))
        return {k: v for k, v in dict(
            speaker=self.speaker or None, country=self.country or None, org=self.org or None,
            outlet=self.outlet or None, kind=self.kind or None, since=since, until=until,
            min_confidence=self.min_confidence, attributed=self.attributed).items()}

    def order(self) -> str:
        sort = self.sort or ("relevance" if self.q else "newest")
        allowed = query.SORTS if self.q else tuple(s for s in query.SORTS if s != "relevance")
        if sort not in allowed:
            raise BadRequest(f"cannot sort by {sort!r} here (one of {', '.join(allowed)})")
        return sort


def quotes_page(session, ask: QuoteQuery, *, per_page: int = PER_PAGE, facets: bool = True) -> dict[str, Any]:
    """Search (with ``q``) or browse the quotes: one page of them, and the facet counts of all matches."""
    started = perf_counter()
    if ask.page < 1:
        raise BadRequest("page must be 1 or more")
    offset = (ask.page - 1) * per_page
    if offset > MAX_OFFSET:
        raise BadRequest(f"pages stop at {MAX_OFFSET // per_page + 1}: narrow the search with a filter or a date")
    filters, sort = ask.filters(), ask.order()
    text = (ask.q or "").strip() or None
    # one more than a page: whether a next page exists, without counting every match
    if text:
        rows = query.search_quotes(session, text, sort=sort, limit=per_page + 1, offset=offset, **filters)
    else:
        rows = query.list_quotes(session, sort=sort, limit=per_page + 1, offset=offset, **filters)
    rows = list(rows)
    budget = max(PAGE_BUDGET - (perf_counter() - started), 0.0)
    counted = browse.counts(session, text, budget=budget, **filters) if facets else None
    return {
        "query": ask.params(),
        "sort": sort,
        "page": ask.page,
        "per_page": per_page,
        "has_next": len(rows) > per_page and offset + per_page <= MAX_OFFSET,
        "quotes": browse.speaker_links(session, rows[:per_page]),
        "facets": counted,
    }


def who_said_page(session, phrase: str | None, ask: QuoteQuery) -> dict[str, Any]:
    """The quotes closest to ``phrase``, with who, where and when."""
    phrase = (phrase or "").strip()
    if not phrase:
        return {"phrase": "", "quotes": []}
    if len(phrase) > 2000:
        raise BadRequest("the phrase is too long (2,000 characters at most)")
    rows = query.who_said(session, phrase, limit=WHO_SAID_LIMIT, **ask.filters())
    return {"phrase": phrase, "quotes": browse.speaker_links(session, rows)}


def quote_page(session, quote_id: int) -> dict[str, Any]:
    """One quote with its context and article (``quotes show --format json``)."""
    row = query.show_quote(session, quote_id)
    return browse.speaker_links(session, [row])[0]


def article_page(session, article_id: int) -> dict[str, Any]:
    return browse.article_page(session, article_id)


def speaker_page(session, speaker_id: int) -> dict[str, Any]:
    return browse.speaker_page(session, f"#{speaker_id}", budget=PAGE_BUDGET)


def organization_page(session, org_id: int) -> dict[str, Any]:
    return browse.organization_page(session, org_id)


def country_page(session, code: str) -> dict[str, Any]:
    return browse.country_page(session, code, budget=PAGE_BUDGET)


def overview_page(session) -> dict[str, Any]:
    return browse.overview(session)


def speakers_page(session, *, country: str | None = None, org: str | None = None, speaker: str | None = None,
                  limit: int = 100) -> dict[str, Any]:
    """The most quoted speakers (``quotes speakers --format json``), filtered."""
    rows = query.speakers(session, country=country or None, org=org or None, speaker=speaker or None,
                          limit=limit)
    return {"query": {k: v for k, v in dict(country=country, org=org, speaker=speaker).items() if v},
            "speakers": list(rows)}


def organizations_page(session, *, country: str | None = None, kind: str | None = None,
                       org: str | None = None, limit: int = 100) -> dict[str, Any]:
    """Organisations with their people and quote counts (``quotes orgs --format json``), filtered."""
    if kind and kind not in query.ORGANIZATION_KINDS:
        raise BadRequest(f"unknown organisation kind {kind!r} (one of {', '.join(query.ORGANIZATION_KINDS)})")
    rows = browse.organization_rows(session, country=country or None, kind=kind or None, org=org or None,
                                    limit=limit)
    return {"query": {k: v for k, v in dict(country=country, kind=kind, org=org).items() if v},
            "organizations": list(rows)}


def countries_page(session) -> dict[str, Any]:
    """Every country with its quote count."""
    found = browse.counts(session, by=("country",), top=None)
    return {"total": found["total"], "countries": found["country"]}


def corrections_page(session, limit: int = 200) -> dict[str, Any]:
    """The latest manual corrections (``quotes corrections --format json``)."""
    return {"corrections": list(query.corrections(session, limit=limit))}


# -- edits (only with --edit) ------------------------------------------------------------------

#: The corrections the edit forms make, by the CLI command that makes the same one.
EDITS = {
    "set-speaker": "quote's speaker",
    "set-country": "speaker's country",
    "rename-speaker": "speaker's name",
    "merge-speakers": "merge two speakers",
}


def edit(session, action: str, target: int, value: str) -> dict[str, Any]:
    """Make one correction, recorded as the CLI's: set-speaker (a quote id; value: a name or #ID),
    set-country, rename-speaker, merge-speakers (a speaker id; value: code, new name, or the speaker
    to merge it into). Returns the correction's id and summary."""
    from quotes.store import curation

    value = (value or "").strip()
    if not value:
        raise BadRequest("give a value")
    if len(value) > 300:
        raise BadRequest("the value is too long (300 characters at most)")
    try:
        if action == "set-speaker":
            done = curation.set_speaker(session, target, value)
        elif action == "set-country":
            done = curation.set_country(session, f"#{target}", value)
        elif action == "rename-speaker":
            done = curation.rename_speaker(session, f"#{target}", value)
        elif action == "merge-speakers":
            try:  # where the page goes next: the speaker merged into
                into = query.speaker_profile(session, value, recent=0)["id"]
            except query.QueryError as exc:
                raise BadRequest(str(exc)) from None
            done = curation.merge_speakers(session, f"#{target}", f"#{into}")
            return {"correction": done.correction.id, "action": action, "message": done.message,
                    "speaker_id": into}
        else:
            raise BadRequest(f"unknown correction {action!r} (one of {', '.join(EDITS)})")
    except curation.CurationError as exc:
        raise BadRequest(str(exc)) from None
    where = {"quote_id": target} if action == "set-speaker" else {"speaker_id": target}
    return {"correction": done.correction.id, "action": action, "message": done.message, **where}
