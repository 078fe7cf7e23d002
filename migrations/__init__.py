"""Alembic migrations, shipped in the wheel as ``quotes.migrations``."""
