"""The ``quotes`` command line: a thin click layer over the pipeline, the store and the queries.

``base`` holds the group and the options its commands share; the commands live by job in ``extracting``
(ingest, extract, reprocess, eval), ``querying``, ``curating``, ``exchanging`` (export, import) and
``people`` (people import, people export).
"""
from . import curating, exchanging, extracting, people, querying  # noqa: F401  (each registers its commands)
from .base import main

__all__ = ["main"]
