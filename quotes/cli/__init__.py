"""The ``quotes`` command line: a thin click layer over the pipeline, the store and the queries."""
from .commands import main

__all__ = ["main"]
