"""Cashier sign-in for the fake: logins and the bearer tokens handed out."""

from __future__ import annotations

import uuid

__all__ = ["Cashiers"]


class Cashiers:
    """Known logins (``login → password``) and the tokens signed-in cashiers hold."""

    def __init__(self, users: dict[str, str]) -> None:
        self.users = users
        self.tokens: set[str] = set()

    def sign_in(self, login: str, password: object) -> str | None:
        """A new token, or None for unknown credentials."""
        if self.users.get(login) != password:
            return None
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return token
