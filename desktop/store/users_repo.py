"""Till users with their argon2 PIN hashes and lockout state."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from desktop.core.errors import UserExists
from desktop.core.users import Role, User

__all__ = ["insert_user", "update_user_auth", "update_user_profile", "user_by_id", "user_by_login",
           "users"]

_COLS = "id, login, name, role, active, failed_attempts, locked_until"


def _user(r: tuple[Any, ...]) -> User:
    return User(r[0], r[1], r[2], Role(r[3]), bool(r[4]), r[5],
                datetime.fromisoformat(r[6]) if r[6] else None)


def insert_user(conn: sqlite3.Connection, user: User, pin_hash: str, at: datetime) -> None:
    if conn.execute("SELECT 1 FROM users WHERE login = ?", (user.login,)).fetchone():
        raise UserExists(details={"login": user.login})
    conn.execute("INSERT INTO users (id, login, name, role, pin_hash, active, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (user.id, user.login, user.name, user.role.value, pin_hash, int(user.active),
                  at.isoformat()))


def update_user_auth(conn: sqlite3.Connection, user_id: str, *, failed_attempts: int,
                     locked_until: datetime | None, pin_hash: str | None = None) -> None:
    conn.execute("UPDATE users SET failed_attempts = ?, locked_until = ?, "
                 "pin_hash = coalesce(?, pin_hash) WHERE id = ?",
                 (failed_attempts, locked_until.isoformat() if locked_until else None, pin_hash,
                  user_id))


def update_user_profile(conn: sqlite3.Connection, user_id: str, *, name: str, role: Role,
                        active: bool) -> None:
    conn.execute("UPDATE users SET name = ?, role = ?, active = ? WHERE id = ?",
                 (name, role.value, int(active), user_id))


def user_by_login(conn: sqlite3.Connection, login: str) -> tuple[User, str] | None:
    r = conn.execute(f"SELECT {_COLS}, pin_hash FROM users WHERE login = ?", (login,)).fetchone()
    return (_user(r), r[7]) if r else None


def user_by_id(conn: sqlite3.Connection, user_id: str) -> User | None:
    r = conn.execute(f"SELECT {_COLS} FROM users WHERE id = ?", (user_id,)).fetchone()
    return _user(r) if r else None


def users(conn: sqlite3.Connection) -> list[User]:
    return [_user(r) for r in conn.execute(f"SELECT {_COLS} FROM users ORDER BY login")]
