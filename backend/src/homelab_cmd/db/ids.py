"""Integer primary keys: an id past the column's range names no row."""

from typing import TypeVar

from sqlalchemy.orm import Session

from homelab_cmd.db.base import Base

MAX_ROW_ID = 2**31 - 1
Row = TypeVar("Row", bound=Base)


def get_row(session: Session, model: type[Row], row_id: int) -> Row | None:
    """The row with this id, or None; PostgreSQL would refuse to even look past the range."""
    if not 1 <= row_id <= MAX_ROW_ID:
        return None
    return session.get(model, row_id)
