"""Write an article's new speakers, names, organisations and posts with Core inserts, not the ORM's unit of work.

Resolving an article's speakers makes ORM rows (store.resolution), and the questions it asks are answered with
them while they are pending (store.candidates). Flushing them costs the unit of work's bookkeeping per row (an
INSERT each: the ORM cannot batch rows whose ids the database gives), several times the cost of the SQL itself.
``write_pending`` instead gives the pending rows their ids itself (``next_ids``: the ids the database would give,
in the order the rows were added, as a flush would), inserts each table's rows with one executemany, and takes
the rows out of the session: they are stored, and a later question reads them from the database again.
"""
from __future__ import annotations

from sqlalchemy import func, inspect, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import INCLUDE_PENDING_MUTATIONS, PASSIVE_NO_INITIALIZE
from sqlalchemy.orm.interfaces import MANYTOONE

from .models import Affiliation, Organization, OrganizationAlias, Speaker, SpeakerAlias

#: The models written here, each after those its foreign keys point at.
WRITTEN = (Organization, OrganizationAlias, Speaker, SpeakerAlias, Affiliation)


def next_ids(session: Session, model: type, n: int) -> list[int]:
    """``n`` new ids for ``model``'s table, those its next inserts would get, in order, and none a row of
    the session already holds (see ``new_ids``)."""
    return new_ids(session, {model: n})[model]


def new_ids(session: Session, wanted: dict[type, int]) -> dict[type, list[int]]:
    """For each model, as many new ids as ``wanted`` says, in order: those its table's next inserts would get.

    SQLite gives a new row one more than the largest id in the table (no AUTOINCREMENT), so do these (the
    largest of every table asked in one query), past those rows of the session not written yet already hold;
    a writer holds the database's write lock (store.db.begin_write) until it commits them. PostgreSQL's come
    from each table's sequence, as its inserts' would.
    """
    wanted = {model: n for model, n in wanted.items() if n > 0}
    ids = {model: [] for model in wanted}
    if not wanted:
        return ids
    with session.no_autoflush:  # a flush would write the rows that have ids already, and then the caller again
        if session.get_bind().dialect.name == "postgresql":
            for model, n in wanted.items():
                ids[model] = sorted(session.scalars(text(
                    f"SELECT nextval(pg_get_serial_sequence('{model.__table__.name}', 'id')) "
                    "FROM generate_series(1, :n)"), {"n": n}))
            return ids
        tops = session.execute(select(*(select(func.max(model.__table__.c.id)).scalar_subquery()
                                        for model in wanted))).one()
    held = [obj for obj in session.new if type(obj) in wanted and obj.id is not None]
    for (model, n), top in zip(wanted.items(), tops):
        top = max([top or 0, *(obj.id for obj in held if type(obj) is model)])
        ids[model] = list(range(top + 1, top + 1 + n))
    return ids


def _layout(model: type) -> tuple[list, list]:
    """(the columns an INSERT of ``model`` writes, with their Python defaults; its many-to-one relationships with
    their (column, target attribute) pairs). Columns only the database fills (trigger-kept counters: a server
    default and no other) are left out, as the ORM leaves them."""
    mapper = inspect(model)
    written = [(prop.key, prop.columns[0].key, prop.columns[0].default) for prop in mapper.column_attrs
               if prop.columns[0].server_default is None or prop.columns[0].default is not None]
    relations = [(rel.key, [(local.key, rel.mapper.get_property_by_column(remote).key)
                            for local, remote in rel.local_remote_pairs])
                 for rel in mapper.relationships if rel.direction is MANYTOONE]
    return written, relations


_LAYOUTS: dict[type, tuple[list, list]] = {}


def _values(obj, layout: tuple[list, list]) -> dict:
    """The column values a flush would insert for ``obj``: its attributes, foreign keys from the rows its
    relationships point at (they have the last word, as in a flush), Python defaults for what is unset."""
    written, relations = layout
    state = obj.__dict__
    values = {}
    for key, column, default in written:
        value = state.get(key)
        if value is None and default is not None:
            value = default.arg(None) if default.is_callable else default.arg
            setattr(obj, key, value)
        values[column] = value
    for key, pairs in relations:
        if key in state:
            target = state[key]
            for local, remote in pairs:
                values[local] = getattr(target, remote) if target is not None else None
    return values


def write_pending(session: Session) -> bool:
    """Insert the session's pending rows (all of WRITTEN's models) with one executemany per table and take them
    out of the session; stored rows that took one of them in a collection have it expired (read again when
    asked for). False, with nothing done, where a flush must do it: something else is pending, or a stored
    row's change to a relationship is more than taking new rows in."""
    pending = list(session.new)
    if not pending:
        return True
    by_model: dict[type, list] = {model: [] for model in WRITTEN}
    for obj in pending:
        rows = by_model.get(type(obj))
        if rows is None:
            return False
        rows.append(obj)
    new = set(map(id, pending))
    expire, refer = _stored_changes(session, new)
    if expire is None:
        return False
    for rows in by_model.values():
        rows.sort(key=lambda obj: inspect(obj).insert_order)  # the order a flush inserts them in, so its ids
    ids = new_ids(session, {model: sum(obj.id is None for obj in rows) for model, rows in by_model.items()})
    for model, rows in by_model.items():
        given = iter(ids.get(model, ()))
        for obj in rows:
            if obj.id is None:
                obj.id = next(given)
    with session.no_autoflush:  # the unit of work must not write them first
        for model, rows in by_model.items():
            if rows:
                layout = _LAYOUTS.get(model) or _LAYOUTS.setdefault(model, _layout(model))
                session.execute(insert(model.__table__), [_values(obj, layout) for obj in rows])
    for obj in pending:
        if obj in session:  # a speaker takes its names and posts with it
            session.expunge(obj)
    for row, keys in expire.items():
        session.expire(row, keys)
    for row, pairs in refer:  # a stored row pointing at a new one: its foreign key, now that the id is known
        for local, target, remote in pairs:
            setattr(row, local, getattr(target, remote))
    return True


def _stored_changes(session: Session, new: set[int]) -> tuple[dict | None, list]:
    """What stored rows changed toward the new ones: the collections to expire once those are written (by
    row), and the many-to-one relationships to turn into foreign key values; (None, []) when a change is of
    another kind (a row taken out of a collection, a stored row moved into one)."""
    expire: dict[object, list[str]] = {}
    refer: list = []
    for row in session.dirty:
        state = inspect(row)
        # what changed: loaded attributes keep their old value here, unloaded collections their appends there
        changed = set(state.committed_state) | set(state.__dict__.get("_pending_mutations", ()))
        if not changed:
            continue
        for rel in state.mapper.relationships:
            if rel.key not in changed:
                continue
            history = state.manager[rel.key].impl.get_history(
                state, state.dict, PASSIVE_NO_INITIALIZE | INCLUDE_PENDING_MUTATIONS)  # as a flush reads it
            if history.deleted and rel.direction is not MANYTOONE:
                return None, []
            added = [obj for obj in history.added if obj is not None]
            if not any(id(obj) in new for obj in added):
                continue
            if rel.direction is MANYTOONE:
                target = added[0]
                pairs = [(rel.parent.get_property_by_column(local).key, target,
                          rel.mapper.get_property_by_column(remote).key)
                         for local, remote in rel.local_remote_pairs]
                refer.append((row, pairs))
                expire.setdefault(row, []).append(rel.key)
            elif all(id(obj) in new for obj in added):
                expire.setdefault(row, []).append(rel.key)
            else:
                return None, []
    return expire, refer
