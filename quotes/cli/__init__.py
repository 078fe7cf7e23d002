"""The ``quotes`` command line: a thin click layer over the pipeline, the store and the queries.

``base`` holds the group and the options its commands share; the commands live by job in ``extracting``
(ingest, extract, reprocess, eval), ``querying``, ``curating``, ``exchanging`` (export, import),
``people`` (people import, people export), ``serving`` (serve, datasette).
"""
from . import curating, exchanging, extracting, people, querying, serving  # noqa: F401  (each registers its commands)
from .base import main

__all__ = ["main"]
