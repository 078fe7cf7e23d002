"""quotes: find quoted statements in news articles, attribute them, and keep them in a database."""

__version__ = "0.1.0"
