"""Store: the database that keeps articles, quotes, speakers and organisations across articles.

Takes ``records.Extraction`` objects and keeps them (``storing``), one transaction per article, with
speakers and organisations resolved across articles (``resolution``) and manual corrections applied and
replayed (``curation``); ``models`` are the SQLAlchemy tables, ``db`` opens and migrates a database
(Alembic, ``migrations/``), ``lookup`` turns a user's filters and references into SQL, and ``exchange``
exports and imports everything. No spaCy here.
"""
