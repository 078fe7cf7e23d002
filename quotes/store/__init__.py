"""Store: the database that keeps articles, quotes, speakers and organisations across articles.

Takes ``records.Extraction`` objects and keeps them (``storing``), one transaction per article, with
speakers and organisations resolved across articles (``resolution``) and manual corrections applied and
replayed (``curation``); ``models`` are the SQLAlchemy tables, ``db`` opens and migrates a database
(Alembic, ``migrations/``), ``lookup`` turns a user's filters and references into SQL, and ``exchange``
exports and imports everything. ``knowledge`` lends an extraction what the database already knows of
its speakers, and ``people`` reads and writes what users know of people (curated rows). No spaCy here.
"""
