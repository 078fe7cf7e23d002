"""Queries: what users ask of the store, as plain rows, and how rows are printed.

Takes a database session and filters and gives lists of dicts (quotes, search hits, who-said matches,
speakers, profiles, organisations, counts) that the CLI, a web page or a program can use as they are;
``output`` formats rows as tables, JSON, JSON lines or CSV. Query code never imports spaCy.
"""
