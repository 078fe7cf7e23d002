"""Bare-surname mentions kept on their quotes, and the surnames waiting to be settled.

``quotes.bare_name``, ``bare_country`` and ``bare_country_source``: the article named the quote's speaker
by a bare surname, and what it stated of their country. ``store.surnames`` decides again from them, over
every stored article, which person such quotes belong to, so that the order of articles does not decide it;
``unsettled_surnames`` lists the surnames stored articles touched since they were last settled, and
``speaker_aliases.settled`` marks a bare surname a person has only through such mentions.

Quotes stored before this revision are marked when their speaker's row is a bare surname (its key is its
surname), and those surnames wait to be settled; quotes already folded into a person cannot be told apart.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 09:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_BARE_ROWS = ("SELECT id FROM speakers WHERE kind = 'person' AND named = TRUE AND curated = FALSE"
              " AND organization_id IS NULL AND surname IS NOT NULL AND key = surname")


def upgrade() -> None:
    """Upgrade the schema."""
    op.add_column('quotes', sa.Column('bare_name', sa.String(length=300), nullable=True))
    op.add_column('quotes', sa.Column('bare_country', sa.String(length=2), nullable=True))
    op.add_column('quotes', sa.Column('bare_country_source', sa.String(length=20), nullable=True))
    op.add_column('speaker_aliases', sa.Column('settled', sa.Boolean(), server_default='0', nullable=False))
    op.create_index('ix_quotes_speaker_id_bare_name', 'quotes', ['speaker_id', 'bare_name'])
    op.create_table('unsettled_surnames', sa.Column('surname', sa.String(length=100), nullable=False),
                    sa.PrimaryKeyConstraint('surname', name=op.f('pk_unsettled_surnames')))
    op.execute(
        "UPDATE quotes SET bare_name = (SELECT name FROM speakers s WHERE s.id = quotes.speaker_id),"
        " bare_country = (SELECT country FROM speakers s WHERE s.id = quotes.speaker_id"
        "                 AND s.country_source IN ('stated', 'title', 'organisation', 'place')),"
        " bare_country_source = (SELECT country_source FROM speakers s WHERE s.id = quotes.speaker_id"
        "                        AND s.country_source IN ('stated', 'title', 'organisation', 'place'))"
        f" WHERE corrected = FALSE AND speaker_id IN ({_BARE_ROWS})")
    op.execute(f"INSERT INTO unsettled_surnames (surname) SELECT DISTINCT surname FROM speakers"
               f" WHERE id IN ({_BARE_ROWS})")


def downgrade() -> None:
    """Downgrade the schema (the marks are lost)."""
    op.drop_table('unsettled_surnames')
    op.drop_index('ix_quotes_speaker_id_bare_name', table_name='quotes')
    op.drop_column('speaker_aliases', 'settled')
    for column in ('bare_country_source', 'bare_country', 'bare_name'):
        op.drop_column('quotes', column)  # SQLite's own DROP COLUMN: a batch copy would break the views
