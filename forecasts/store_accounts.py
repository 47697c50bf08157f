"""The store's accounts, for ``forecasts serve``: users, API tokens, who may see each question,
which account recorded each record, and the server's settings (with each account's last
logout).

``AccountRecords`` is a part of :class:`forecasts.store.Store` (its methods use the store's
connection). None of these tables is in the hash chain: they say who may do what, not what was
forecast. The rules (roles, visibility) live in ``forecasts.team``; here is only their SQL.

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> user_id = store.add_user("alice", "member", "argon2-hash", store.forecaster_id("alice"))
    >>> store.find_user("ALICE")["forecaster"]
    'alice'
"""

import sqlite3

RECORD_TABLES = ("questions", "forecasts", "resolutions")

_USER = ("SELECT u.id, u.name, u.role, u.password_hash, u.forecaster_id, u.created, u.revoked,"
         " fr.name AS forecaster FROM users u LEFT JOIN forecasters fr ON fr.id = u.forecaster_id")


def is_read_only(error: Exception) -> bool:
    """Whether ``error`` is SQLite refusing a write to a database it may only read (a file the
    server's user cannot write, an immutable file, a read-only mount)."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    name = getattr(error, "sqlite_errorname", "")  # Python 3.11 and later
    return name.startswith("SQLITE_READONLY") or "readonly database" in str(error)


class AccountRecords:
    """The account reads and writes of a Store."""

    def add_user(self, name: str, role: str, password_hash: str, forecaster_id: int) -> int:
        """A new account; returns its id."""
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO users (name, role, password_hash, forecaster_id, created)"
                " VALUES (?, ?, ?, ?, ?)", [name, role, password_hash, forecaster_id, self.now()])
            return cursor.lastrowid

    def find_user(self, name: str):
        """The account named ``name`` (case-insensitive, revoked or not), or None."""
        return self._one(f"{_USER} WHERE u.name = ?", [name.strip()])

    def user_by_id(self, user_id: int):
        return self._one(f"{_USER} WHERE u.id = ?", [user_id])

    def users(self) -> list:
        return self._all(f"{_USER} ORDER BY u.name")

    def user_of_forecaster(self, forecaster_id: int):
        """The account whose own forecaster this is, or None."""
        return self._one(f"{_USER} WHERE u.forecaster_id = ?", [forecaster_id])

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        with self.transaction():
            self.conn.execute("UPDATE users SET password_hash = ? WHERE id = ?",
                              [password_hash, user_id])

    def revoke_user(self, user_id: int) -> None:
        """Revoke an account and every token it holds."""
        with self.transaction():
            now = self.now()
            self.conn.execute("UPDATE users SET revoked = ? WHERE id = ? AND revoked IS NULL",
                              [now, user_id])
            self.conn.execute("UPDATE api_tokens SET revoked = ? WHERE user_id = ?"
                              " AND revoked IS NULL", [now, user_id])

    def add_api_token(self, user_id: int, token_hash: str) -> None:
        with self.transaction():
            self.conn.execute("INSERT INTO api_tokens (user_id, token_hash, created)"
                              " VALUES (?, ?, ?)", [user_id, token_hash, self.now()])

    def user_for_token(self, token_hash: str):
        """The live account holding the live token with this hash, or None."""
        return self._one(f"{_USER} JOIN api_tokens t ON t.user_id = u.id"
                         " WHERE t.token_hash = ? AND t.revoked IS NULL AND u.revoked IS NULL",
                         [token_hash])

    def set_question_access(self, question_id: int, visibility: str, owner_id=None,
                            hide_forecasts: bool = False) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO question_access (question_id, visibility, owner_id,"
                " hide_forecasts) VALUES (?, ?, ?, ?)",
                [question_id, visibility, owner_id, int(bool(hide_forecasts))])

    def question_access(self) -> dict:
        """Each question's access row by question id (a question logged outside the server has
        none)."""
        return {row["question_id"]: row for row in self._all("SELECT * FROM question_access")}

    def access_of(self, question_id: int):
        """One question's access row, or None."""
        return self._one("SELECT * FROM question_access WHERE question_id = ?", [question_id])

    def note_recorded_by(self, table: str, row_id: int, user_id: int) -> None:
        """Note which account recorded a question, forecast or resolution."""
        assert table in RECORD_TABLES
        with self.transaction():
            self.conn.execute("INSERT INTO recorded_by (row_table, row_id, user_id)"
                              " VALUES (?, ?, ?)", [table, row_id, user_id])

    def recorded_by(self, table: str, row_ids) -> dict:
        """The names of the accounts that recorded these rows of ``table``, by row id."""
        ids = list(row_ids)
        if not ids:
            return {}
        rows = self._all("SELECT r.row_id, u.name FROM recorded_by r JOIN users u"
                         " ON u.id = r.user_id WHERE r.row_table = ? AND r.row_id IN"
                         f" ({', '.join('?' * len(ids))})", [table, *ids])
        return {row["row_id"]: row["name"] for row in rows}

    def note_logout(self, user_id: int) -> None:
        """Note that the account logged out now: login sessions begun before it end. Kept with
        the server's settings, under ``logged out ID``, so that the users table keeps its
        schema."""
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO server_settings (name, value)"
                              " VALUES (?, ?)", [f"logged out {user_id}", self.now()])

    def last_logout(self, user_id: int):
        """When the account last logged out (ISO text, UTC), or None."""
        row = self._one("SELECT value FROM server_settings WHERE name = ?",
                        [f"logged out {user_id}"])
        return row["value"] if row else None

    def server_setting(self, name: str, make) -> str:
        """The server setting ``name``, set to ``make()`` the first time it is asked for."""
        with self.transaction():
            row = self._one("SELECT value FROM server_settings WHERE name = ?", [name])
            if row:
                return row["value"]
            value = make()
            self.conn.execute("INSERT INTO server_settings (name, value) VALUES (?, ?)",
                              [name, value])
            return value

    def can_write(self) -> bool:
        """Whether the database takes writes: a row is written and rolled back, so nothing is
        kept (taking the write lock alone is not enough: in WAL mode it touches only the WAL)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("INSERT INTO server_settings (name, value) VALUES ('write check', '')"
                              " ON CONFLICT DO NOTHING")
        except sqlite3.OperationalError as error:
            if is_read_only(error):
                return False
            raise
        finally:
            if self.conn.in_transaction:
                self.conn.rollback()
        return True
