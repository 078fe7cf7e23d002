"""Entities and curation: named/curated speakers, organisation speakers, canonical organisation keys,
curation rules

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Every change to an existing table is a plain ALTER TABLE ADD/DROP COLUMN, never a batch
# "recreate": speakers, organizations and articles are parents of ON DELETE CASCADE foreign keys,
# and with foreign keys on (they are, and PRAGMA foreign_keys cannot change inside the migration's
# transaction) dropping the old copy of a parent table deletes or nulls every child row.


def _backfill() -> None:
    """Fill the new lookup columns of rows written by revision 0001 (nothing to do on a new database)."""
    bind = op.get_bind()
    speakers = bind.execute(sa.text("SELECT id, name FROM speakers WHERE kind = 'person'")).all()
    aliases = bind.execute(sa.text(
        "SELECT a.id, a.alias, o.country FROM organization_aliases a "
        "JOIN organizations o ON o.id = a.organization_id")).all()
    if not speakers and not aliases:
        return
    from quotes.store.resolution import PersonName, org_identity  # only old databases pay for the import

    for speaker_id, name in speakers:
        bind.execute(sa.text("UPDATE speakers SET surname = :s WHERE id = :id"),
                     {"s": PersonName.parse(name).surname_key, "id": speaker_id})
    for alias_id, alias, country in aliases:
        bind.execute(sa.text("UPDATE organization_aliases SET canon = :c WHERE id = :id"),
                     {"c": org_identity(alias, country).canon, "id": alias_id})


def upgrade() -> None:
    """Upgrade the schema."""
    op.add_column('speakers', sa.Column('named', sa.Boolean(), server_default='1', nullable=False))
    op.add_column('speakers', sa.Column('curated', sa.Boolean(), server_default='0', nullable=False))
    op.add_column('speakers', sa.Column('surname', sa.String(length=100), nullable=True))
    op.add_column('speakers', sa.Column(
        'organization_id', sa.Integer(),
        # no ON DELETE action: reflection cannot see one in an inline REFERENCES (see models.Speaker)
        sa.ForeignKey('organizations.id', name=op.f('fk_speakers_organization_id_organizations')),
        nullable=True), inline_references=True)
    op.create_index(op.f('ix_speakers_surname'), 'speakers', ['surname'], unique=False)
    op.create_index(op.f('ix_speakers_organization_id'), 'speakers', ['organization_id'], unique=False)

    op.add_column('organizations', sa.Column('curated', sa.Boolean(), server_default='0', nullable=False))
    op.add_column('organization_aliases', sa.Column('canon', sa.String(length=300), nullable=True))
    op.create_index(op.f('ix_organization_aliases_canon'), 'organization_aliases', ['canon'], unique=False)

    op.create_table('curation_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=True),
    sa.Column('speaker_name', sa.String(length=300), nullable=True),
    sa.Column('speaker_kind', sa.String(length=20), nullable=False),
    sa.Column('speaker_country', sa.String(length=2), nullable=True),
    sa.Column('from_keys', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_curation_rules_article_id_articles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['correction_id'], ['corrections.id'], name=op.f('fk_curation_rules_correction_id_corrections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_curation_rules_speaker_id_speakers'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_curation_rules'))
    )
    with op.batch_alter_table('curation_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_curation_rules_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_curation_rules_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_curation_rules_correction_id'), ['correction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_curation_rules_speaker_id'), ['speaker_id'], unique=False)

    _backfill()


def downgrade() -> None:
    """Downgrade the schema (organisation links, curation flags and rules are lost)."""
    op.drop_table('curation_rules')
    op.drop_index(op.f('ix_organization_aliases_canon'), table_name='organization_aliases')
    op.drop_column('organization_aliases', 'canon')
    op.drop_column('organizations', 'curated')
    op.drop_index(op.f('ix_speakers_organization_id'), table_name='speakers')
    op.drop_index(op.f('ix_speakers_surname'), table_name='speakers')
    for column in ('organization_id', 'surname', 'curated', 'named'):
        op.drop_column('speakers', column)
