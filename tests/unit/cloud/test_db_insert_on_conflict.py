"""``cloud.db.insert_on_conflict``: one call for DO NOTHING and DO UPDATE (… WHERE)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select
from sqlalchemy.orm import Session

from cloud.db import insert_on_conflict

_META = MetaData()
_T = Table("t", _META, Column("id", Integer, primary_key=True), Column("owner", String),
           Column("note", String))


@pytest.fixture
def session() -> Session:
    engine = create_engine("sqlite://")
    _META.create_all(engine)
    with Session(engine) as s:
        s.execute(_T.insert().values(id=1, owner="a", note="first"))
        yield s


def _note(session: Session) -> str:
    return session.execute(select(_T.c.note).where(_T.c.id == 1)).scalar_one()


def test_do_nothing_keeps_the_existing_row(session: Session) -> None:
    session.execute(insert_on_conflict(session, _T, {"id": 1, "owner": "b", "note": "second"},
                                       index_elements=["id"]))
    assert _note(session) == "first"


def test_do_nothing_takes_a_list_of_rows(session: Session) -> None:
    session.execute(insert_on_conflict(session, _T, index_elements=["id"]),
                    [{"id": 1, "owner": "b", "note": "x"}, {"id": 2, "owner": "b", "note": "y"}])
    assert _note(session) == "first"
    assert session.execute(select(_T.c.note).where(_T.c.id == 2)).scalar_one() == "y"


def test_do_update_where_changes_only_matching_rows(session: Session) -> None:
    mine = insert_on_conflict(session, _T, {"id": 1, "owner": "a", "note": "mine"},
                              index_elements=["id"], set_={"note": "mine"},
                              where=_T.c.owner == "a")
    theirs = insert_on_conflict(session, _T, {"id": 1, "owner": "b", "note": "theirs"},
                                index_elements=["id"], set_={"note": "theirs"},
                                where=_T.c.owner == "b")
    assert session.execute(mine.returning(_T.c.id)).scalar_one_or_none() == 1
    assert session.execute(theirs.returning(_T.c.id)).scalar_one_or_none() is None
    assert _note(session) == "mine"


def test_where_without_set_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="DO UPDATE"):
        insert_on_conflict(session, _T, {"id": 1}, where=_T.c.owner == "a")
