"""The web application: every page in HTML and its JSON twin under /api, documented by OpenAPI.

A thin layer: each route checks its parameters, asks ``pages`` (which calls the query and curation
functions) and renders the dict it gets with a template, or returns it as JSON. The reader's database
is opened read-only; with ``edit``, corrections go through a second, writable engine, and only an
editor who gave the token (a signed cookie, plus a CSRF token in each form) or an API client sending
it as a bearer token can make them.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Annotated, Any, Literal
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from quotes import __version__, query
from quotes.entities.countries import country_name
from quotes.store.db import open_database, session_factory
from quotes.store.readonly import open_readonly

from . import charts, highlight, pages
from .security import CSRF_FIELD, EDITOR_COOKIE, HEADERS, MIN_TOKEN, Guard, same_origin

log = logging.getLogger("quotes.web")

FLASH_COOKIE = "quotes_flash"
Kind = Literal["direct", "partial", "indirect"]
Sort = Literal["relevance", "article", "newest", "oldest", "confidence"]


def _snippet(text: str | None) -> Markup:
    """A search snippet, escaped, with its **matches** marked."""
    parts = str(text or "").split("**")
    return Markup("".join(str(escape(p)) if i % 2 == 0 else f"<mark>{escape(p)}</mark>"
                          for i, p in enumerate(parts)))


def _url(path: str, params: dict[str, Any] | None = None, **changes: Any) -> str:
    """``path`` with ``params`` updated by ``changes`` (None removes one; the page restarts at 1)."""
    merged = {**(params or {}), **changes}
    if "page" not in changes:
        merged.pop("page", None)
    merged = {k: v for k, v in merged.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(merged) if merged else "")


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("quotes.web", "templates"),
                      autoescape=select_autoescape(["html", "svg"], default=True))
    env.filters["snippet"] = _snippet
    env.filters["country_name"] = lambda code: country_name(code) if code else ""
    env.filters["number"] = lambda n: f"{n:,}" if isinstance(n, int) else ("-" if n is None else n)
    env.globals.update(url=_url, charts=charts, version=__version__, Markup=Markup)
    return env


def quote_query(
    q: Annotated[str | None, Query(max_length=500, description='Full-text search: words (all must occur), '
                                   '"a phrase", OR, NOT, prefix*')] = None,
    speaker: Annotated[str | None, Query(max_length=300, description="Speaker name or alias (words), or #ID")] = None,
    country: Annotated[str | None, Query(max_length=100, description="Speaker's country (ISO code or name)")] = None,
    org: Annotated[str | None, Query(max_length=300, description="Organisation (name, wording, code, or #ID)")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="Outlet (words of its name)")] = None,
    kind: Annotated[Kind | None, Query(description="Quote kind")] = None,
    month: Annotated[str | None, Query(max_length=7, description="Articles of this month (YYYY-MM)")] = None,
    since: Annotated[str | None, Query(max_length=10, description="Published on or after (YYYY[-MM[-DD]])")] = None,
    until: Annotated[str | None, Query(max_length=10, description="Published on or before (YYYY[-MM[-DD]])")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="Attribution confidence at least")] = None,
    attributed: Annotated[bool, Query(description="Only quotes with a speaker")] = False,
    sort: Annotated[Sort | None, Query(description="relevance (with q), article, newest, oldest, confidence")] = None,
    page: Annotated[int, Query(ge=1, le=100_000, description="Page (20 quotes each)")] = 1,
) -> pages.QuoteQuery:
    """The quote filters of list and search, as URL parameters."""
    return pages.QuoteQuery(q=q, speaker=speaker, country=country, org=org, outlet=outlet, kind=kind, month=month,
                            since=since, until=until, min_confidence=min_confidence, attributed=attributed,
                            sort=sort, page=page)


Ask = Annotated[pages.QuoteQuery, Depends(quote_query)]
Id = Annotated[int, Path(ge=1, le=2**62)]


def reading(request: Request) -> Iterator:
    """A session on the read-only engine, for one request."""
    with request.app.state.reading() as session:
        yield session


Session = Annotated[Any, Depends(reading)]


class EditBody(BaseModel):
    """A correction's value: a speaker (name or #ID), a country code or name, or a new name."""

    value: str = Field(min_length=1, max_length=300)


def create_app(db: str | None = None, *, edit: bool = False, token: str | None = None) -> FastAPI:
    """The application on database ``db`` (a path or URL; default as the CLI's), read-only unless ``edit``.

    ``edit`` needs ``token`` (at least MIN_TOKEN characters): whoever gives it may correct.
    """
    if edit and (not token or len(token) < MIN_TOKEN):
        raise ValueError(f"--edit needs a token of at least {MIN_TOKEN} characters (--token or QUOTES_EDIT_TOKEN)")
    reader = open_readonly(db)
    Reading = session_factory(reader)
    Writing = session_factory(open_database(db, create=False)) if edit else None
    guard = Guard(token if edit else None)
    templates = Jinja2Templates(env=_environment())

    app = FastAPI(title="quotes", version=__version__, docs_url=None, redoc_url=None,
                  description="Who said what in the news: quotes, speakers, organisations, countries. Every page "
                              "of the site has its JSON twin here; quote rows are those of `quotes list --format "
                              "json`, with speaker_id and organization_id added for links.")
    app.state.edit, app.state.db = edit, db
    app.state.reading = Reading
    app.mount("/static", StaticFiles(packages=[("quotes.web", "static")]), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    # -- rendering and errors --------------------------------------------------------------------

    def editor(request: Request) -> bool:
        return edit and guard.is_editor(request.cookies.get(EDITOR_COOKIE))

    def render(request: Request, template: str, data: dict[str, Any], *, status: int = 200,
               api: str | None = None) -> Response:
        cookie = request.cookies.get(EDITOR_COOKIE)
        context = {"d": data, "api": api, "edit": edit, "editor": editor(request),
                   "csrf": guard.csrf_token(cookie) if editor(request) else None, "csrf_field": CSRF_FIELD,
                   "flash": request.cookies.get(FLASH_COOKIE), "path": request.url.path}
        response = templates.TemplateResponse(request, template, context, status_code=status)
        if context["flash"]:
            response.delete_cookie(FLASH_COOKIE, path="/")
        return response

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    def error(request: Request, status: int, message: str) -> Response:
        if is_api(request):
            return JSONResponse({"error": message}, status_code=status)
        return render(request, "error.html", {"status": status, "message": message}, status=status)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
                             for e in exc.errors())
        return error(request, 400, f"bad parameters: {problems}")

    @app.exception_handler(pages.BadRequest)
    @app.exception_handler(query.QueryError)
    async def bad_request(request: Request, exc: Exception):
        return error(request, 404 if str(exc).startswith("no ") else 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = {404: "no such page", 405: "not allowed here"}.get(exc.status_code, str(exc.detail))
        return error(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        log.exception("error on %s", request.url.path)  # the trace goes to the log, never to the page
        return error(request, 500, "something went wrong on our side")

    # -- pages and their JSON twins ------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_html(request: Request, session: Session):
        return render(request, "overview.html", pages.overview_page(session), api="/api/overview")

    @app.get("/api/overview", tags=["overview"])
    def overview(session: Session) -> dict[str, Any]:
        """Totals, the most quoted speakers, countries, organisations and outlets, quotes per week and month."""
        return pages.overview_page(session)

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_html(request: Request, session: Session, ask: Ask):
        return render(request, "quotes.html", pages.quotes_page(session, ask),
                      api=_url("/api/quotes", ask.params(), page=ask.page if ask.page > 1 else None))

    @app.get("/api/quotes", tags=["quotes"])
    def quotes(session: Session, ask: Ask,
               facets: Annotated[bool, Query(description="Count the matches by facet")] = True) -> dict[str, Any]:
        """Search (with ``q``) or list quotes: one page of them, and counts of all the matches by country,
        organisation, speaker, outlet, kind, month and minimum confidence."""
        return pages.quotes_page(session, ask, facets=facets)

    @app.get("/quotes/{quote_id}", response_class=HTMLResponse, include_in_schema=False)
    def quote_html(request: Request, session: Session, quote_id: Id):
        return render(request, "quote.html", pages.quote_page(session, quote_id), api=f"/api/quotes/{quote_id}")

    @app.get("/api/quotes/{quote_id}", tags=["quotes"])
    def quote(session: Session, quote_id: Id) -> dict[str, Any]:
        """One quote with its sentence, speaker and article (as `quotes show ID --format json`)."""
        return pages.quote_page(session, quote_id)

    @app.get("/who-said", response_class=HTMLResponse, include_in_schema=False)
    def who_said_html(request: Request, session: Session, ask: Ask,
                      phrase: Annotated[str | None, Query(max_length=2000)] = None):
        return render(request, "who_said.html", pages.who_said_page(session, phrase, ask),
                      api=_url("/api/who-said", {"phrase": phrase}))

    @app.get("/api/who-said", tags=["quotes"])
    def who_said(session: Session, ask: Ask,
                 phrase: Annotated[str, Query(min_length=1, max_length=2000,
                                              description="A sentence, or part of one")]) -> dict[str, Any]:
        """The quotes closest to a phrase, best first, with who said them, where and when (``score``: the
        share of the phrase found in order, 1.0 = all)."""
        return pages.who_said_page(session, phrase, ask)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_html(request: Request, session: Session, article_id: Id):
        data = pages.article_page(session, article_id)
        data["paragraphs"] = [Markup(p) for p in highlight.paragraphs(data["text"], data["quotes"])]
        data["colours"] = highlight.speaker_colours(data["quotes"])
        return render(request, "article.html", data, api=f"/api/articles/{article_id}")

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def article(session: Session, article_id: Id) -> dict[str, Any]:
        """An article: its text, its quotes (with offsets into the text) and its speakers."""
        return pages.article_page(session, article_id)

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    def speakers_html(request: Request, session: Session,
                      country: Annotated[str | None, Query(max_length=100)] = None,
                      org: Annotated[str | None, Query(max_length=300)] = None,
                      speaker: Annotated[str | None, Query(max_length=300)] = None):
        data = pages.speakers_page(session, country=country, org=org, speaker=speaker)
        return render(request, "speakers.html", data, api=_url("/api/speakers", data["query"]))

    @app.get("/api/speakers", tags=["speakers"])
    def speakers(session: Session,
                 country: Annotated[str | None, Query(max_length=100, description="Country (code or name)")] = None,
                 org: Annotated[str | None, Query(max_length=300, description="Organisation")] = None,
                 speaker: Annotated[str | None, Query(max_length=300, description="Name words")] = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
        """Speakers, most quoted first (as `quotes speakers --format json`)."""
        return pages.speakers_page(session, country=country, org=org, speaker=speaker, limit=limit)

    @app.get("/speakers/{speaker_id}", response_class=HTMLResponse, include_in_schema=False)
    def speaker_html(request: Request, session: Session, speaker_id: Id):
        return render(request, "speaker.html", pages.speaker_page(session, speaker_id),
                      api=f"/api/speakers/{speaker_id}")

    @app.get("/api/speakers/{speaker_id}", tags=["speakers"])
    def speaker(session: Session, speaker_id: Id) -> dict[str, Any]:
        """A speaker (as `quotes speaker '#ID' --format json`) with quotes by month and kind, the latest
        quotes and the articles they appear in."""
        return pages.speaker_page(session, speaker_id)

    @app.get("/organizations", response_class=HTMLResponse, include_in_schema=False)
    def organizations_html(request: Request, session: Session,
                           country: Annotated[str | None, Query(max_length=100)] = None,
                           kind: Annotated[str | None, Query(max_length=20)] = None,
                           org: Annotated[str | None, Query(max_length=300)] = None):
        data = pages.organizations_page(session, country=country, kind=kind, org=org)
        return render(request, "organizations.html", data, api=_url("/api/organizations", data["query"]))

    @app.get("/api/organizations", tags=["organizations"])
    def organizations(session: Session,
                      country: Annotated[str | None, Query(max_length=100, description="Country")] = None,
                      kind: Annotated[str | None, Query(max_length=20, description="government, party, …")] = None,
                      org: Annotated[str | None, Query(max_length=300, description="Name, wording or code")] = None,
                      limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
        """Organisations with their people and quote counts (as `quotes orgs --format json`)."""
        return pages.organizations_page(session, country=country, kind=kind, org=org, limit=limit)

    @app.get("/organizations/{org_id}", response_class=HTMLResponse, include_in_schema=False)
    def organization_html(request: Request, session: Session, org_id: Id):
        return render(request, "organization.html", pages.organization_page(session, org_id),
                      api=f"/api/organizations/{org_id}")

    @app.get("/api/organizations/{org_id}", tags=["organizations"])
    def organization(session: Session, org_id: Id) -> dict[str, Any]:
        """An organisation: its people and the speaker that is it, quote counts, quotes per month and kind."""
        return pages.organization_page(session, org_id)

    @app.get("/countries", response_class=HTMLResponse, include_in_schema=False)
    def countries_html(request: Request, session: Session):
        return render(request, "countries.html", pages.countries_page(session), api="/api/countries")

    @app.get("/api/countries", tags=["countries"])
    def countries(session: Session) -> dict[str, Any]:
        """Every speakers' country with its quote count."""
        return pages.countries_page(session)

    @app.get("/countries/{code}", response_class=HTMLResponse, include_in_schema=False)
    def country_html(request: Request, session: Session, code: Annotated[str, Path(max_length=100)]):
        return render(request, "country.html", pages.country_page(session, code), api=f"/api/countries/{url_quote(code)}")

    @app.get("/api/countries/{code}", tags=["countries"])
    def country(session: Session, code: Annotated[str, Path(max_length=100, description="ISO code or name")]
                ) -> dict[str, Any]:
        """A country: its people, bodies and organisations with quote counts, and quotes per month."""
        return pages.country_page(session, code)

    @app.get("/corrections", response_class=HTMLResponse, include_in_schema=False)
    def corrections_html(request: Request, session: Session):
        return render(request, "corrections.html", pages.corrections_page(session), api="/api/corrections")

    @app.get("/api/corrections", tags=["corrections"])
    def corrections(session: Session) -> dict[str, Any]:
        """The latest manual corrections (as `quotes corrections --format json`)."""
        return pages.corrections_page(session)

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request):
        return render(request, "api.html", {"openapi": app.openapi()}, api="/openapi.json")

    # -- editing (only with --edit) --------------------------------------------------------------

    if edit:
        _editing(app, guard, Writing, render, error)
    return app


def _safe_next(value: str | None) -> str:
    """A page of ours to go back to: a local path, never another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _editing(app: FastAPI, guard: Guard, Writing, render, error) -> None:
    """Routes that write: the editor's login, the edit forms, and the API's bearer-token corrections."""

    def write(action: str, target: int, value: str) -> dict[str, Any]:
        with Writing() as session:
            return pages.edit(session, action, target, value)

    def checked_form(request: Request, csrf: str | None) -> Response | None:
        """The error to answer when a form POST is not the editor's own, from one of our pages."""
        if not same_origin(request.headers.get("origin"), request.headers.get("referer"), request.headers.get("host")):
            return error(request, 403, "this form was sent from another site")
        cookie = request.cookies.get(EDITOR_COOKIE)
        if not guard.is_editor(cookie):
            return error(request, 403, "log in with the edit token first")
        if not guard.csrf_ok(cookie, csrf):
            return error(request, 403, "the form has expired: reload the page and try again")
        return None

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: Annotated[str | None, Query(max_length=500)] = None):
        return render(request, "login.html", {"next": _safe_next(next)})

    @app.post("/login", include_in_schema=False)
    def login(request: Request, token: Annotated[str, Form(max_length=500)],
              next: Annotated[str | None, Form(max_length=500)] = None):
        if not same_origin(request.headers.get("origin"), request.headers.get("referer"), request.headers.get("host")):
            return error(request, 403, "this form was sent from another site")
        if not guard.token_matches(token):
            return render(request, "login.html", {"next": _safe_next(next), "wrong": True}, status=403)
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(EDITOR_COOKIE, guard.new_editor_cookie(), httponly=True, samesite="strict", path="/")
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: Annotated[str | None, Form(alias=CSRF_FIELD)] = None):
        refused = checked_form(request, csrf)
        if refused is not None:
            return refused
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(EDITOR_COOKIE, path="/")
        return response

    @app.post("/edit/{action}/{target}", include_in_schema=False)
    def edit_form(request: Request, action: Literal["set-speaker", "set-country", "rename-speaker", "merge-speakers"],
                  target: Id, value: Annotated[str, Form(max_length=300)],
                  csrf: Annotated[str | None, Form(alias=CSRF_FIELD)] = None):
        refused = checked_form(request, csrf)
        if refused is not None:
            return refused
        done = write(action, target, value)
        where = f"/quotes/{done['quote_id']}" if "quote_id" in done else f"/speakers/{done['speaker_id']}"
        response = RedirectResponse(where, status_code=303)
        response.set_cookie(FLASH_COOKIE, f"{done['message']} (correction #{done['correction']})"[:500],
                            httponly=True, samesite="strict", path="/")
        return response

    @app.post("/api/edit/{action}/{target}", tags=["corrections"])
    def edit_api(request: Request, action: Literal["set-speaker", "set-country", "rename-speaker", "merge-speakers"],
                 target: Id, body: EditBody) -> dict[str, Any]:
        """Make one correction, recorded as the CLI's and kept across `quotes reprocess` (server started with
        --edit; send the token as ``Authorization: Bearer TOKEN``). ``target`` is a quote id for set-speaker
        (``value``: a speaker's name or #ID, or - for nobody), else a speaker id (``value``: a country,
        a new name, or the speaker to merge it into)."""
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not guard.token_matches(given.strip()):
            return JSONResponse({"error": "send the edit token as Authorization: Bearer TOKEN"}, status_code=401)
        return write(action, target, body.value)


def dump_openapi(app: FastAPI) -> str:
    """The API's OpenAPI document as JSON text."""
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False)
