"""Web: the browser's way in, beside the CLI. An ASGI application (FastAPI) over the same query and
curation functions; every page has a JSON twin under /api.

``app.create_app`` builds it; ``pages`` gathers each page's data from the queries (dicts, no SQL),
``highlight`` marks quotes in an article's text, ``charts`` draws SVG on the server, ``security``
guards edits, and ``datasette`` describes the database to Datasette. No spaCy, no SQLAlchemy here.
"""
