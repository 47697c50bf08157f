"""The web server's frame: who the caller is, CSRF, errors, security headers, the store.

Each request runs its library call in a worker thread, on that thread's own Store (SQLite
connections stay in the thread that made them), so that argon2 and SQLite's write lock never
hold up the event loop; the server's writers take turns on a lock (``writing``). Pages are in
``pages``, the JSON API in ``api``; both are thin over ``forecasts.team`` and ``tracker``.
"""

import contextlib
import dataclasses
import datetime
import secrets
import sqlite3
import threading
import time
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import team
from ..errors import ForecastsError, InputError, NotAllowed, NotFound, NotSignedIn, StorageError
from ..store import Store, now_timestamp
from ..store_accounts import is_read_only

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "forecasts_session"
SESSION_DAYS = 14
# Content of pages is the project's own: scripts and images from this server only. Inline
# styles are allowed because matplotlib's SVG charts (the calibration chart) are styled inline;
# scripts never are.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:;"
                               " style-src 'self' 'unsafe-inline';"
                               " script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# The largest request body read, in bytes: the largest legitimate one (a question with every
# field at its 2,000-character limit, each character escaped) is a few hundred kilobytes.
MAX_BODY = 1024 * 1024
# A question's tags at most: they are words to filter by, not a place to store text.
MAX_TAGS = 50
STATUS_OF = [(NotSignedIn, 401), (NotAllowed, 403), (NotFound, 404), (InputError, 422),
             (StorageError, 503), (ForecastsError, 400)]


class TooManyAttempts(ForecastsError):
    """Too many failed logins from one address or for one name."""


class ReadOnlyDatabase(StorageError):
    """A write to a database the server may only read."""

    def __init__(self):
        super().__init__("the database is read-only: nothing was recorded")


class BodyTooLarge(ForecastsError):
    """A request body over MAX_BODY bytes."""


@dataclasses.dataclass
class Config:
    db_path: str
    public: bool = False


class LoginLimiter:
    """At most ``per_name`` failed logins for one user name, and ``per_address`` from one client
    address, in ``window`` seconds; further attempts wait until the oldest failure ages out.

    >>> limiter = LoginLimiter(per_name=2, per_address=3, window=60)
    >>> limiter.failed("alice", "1.2.3.4"); limiter.failed("alice", "1.2.3.4")
    >>> limiter.allowed("alice", "5.6.7.8"), limiter.allowed("bob", "1.2.3.4")
    (False, True)
    >>> limiter.failed("bob", "1.2.3.4"); limiter.allowed("carol", "1.2.3.4")
    False
    """

    def __init__(self, per_name: int = 10, per_address: int = 30, window: float = 300.0):
        self.limits = {"name": per_name, "address": per_address}
        self.window = window
        self.failures = {}
        self.lock = threading.Lock()

    def _recent(self, key, now):
        kept = [t for t in self.failures.get(key, []) if now - t < self.window]
        if kept:
            self.failures[key] = kept
        else:
            self.failures.pop(key, None)
        return kept

    def _keys(self, name, address):
        return (("name", name.strip().lower()), ("address", address))

    def allowed(self, name: str, address: str) -> bool:
        now = time.monotonic()
        with self.lock:
            return all(len(self._recent(key, now)) < self.limits[key[0]]
                       for key in self._keys(name, address))

    def failed(self, name: str, address: str) -> None:
        now = time.monotonic()
        with self.lock:
            for key in self._keys(name, address):
                self.failures[key] = self._recent(key, now) + [now]


# Each worker thread keeps its own Store per database: closing a database's last connection
# checkpoints and removes its WAL file, which cost a write more time than the write itself.
_thread_stores = threading.local()


def thread_store(db_path) -> Store:
    """This thread's Store on ``db_path``, opened on first use."""
    stores = _thread_stores.__dict__.setdefault("stores", {})
    if db_path not in stores:
        stores[db_path] = Store.open(db_path)
    return stores[db_path]


def with_store(db_path, work, args, lock=None):
    """``work(store, *args)`` on this thread's Store, holding ``lock`` if given."""
    with lock or contextlib.nullcontext():
        store = thread_store(db_path)
        try:
            return work(store, *args)
        except sqlite3.OperationalError as error:
            if is_read_only(error):
                raise ReadOnlyDatabase() from None
            raise
        finally:
            if store.conn.in_transaction:  # never carry a transaction into the next request
                store.conn.rollback()


async def in_store(request: Request, work, *args):
    """``work(store, *args)`` in a worker thread, on a Store of its own."""
    return await run_in_threadpool(with_store, request.app.state.config.db_path, work, args)


async def writing(request: Request, work, *args):
    """Like ``in_store``, for a write: this server's writers take turns on a lock of their own,
    so that they queue in order instead of polling SQLite's write lock (its busy handler sleeps
    up to 100 ms between tries, which made one write in a hundred wait a second under load).
    Other processes writing to the database still wait on SQLite's busy timeout."""
    return await run_in_threadpool(with_store, request.app.state.config.db_path, work, args,
                                   request.app.state.write_lock)


def _user_of_session(store, user_id, since):
    """The live account of a session begun at ``since`` (ISO text), unless it has logged out
    since then (a session from before sessions kept their start has none: it is over)."""
    user = store.user_by_id(user_id) if user_id else None
    if not user or user["revoked"] or not isinstance(since, str):
        return None
    logged_out = store.last_logout(user_id)
    try:
        if logged_out and (datetime.datetime.fromisoformat(since)
                           <= datetime.datetime.fromisoformat(logged_out)):
            return None
    except ValueError:
        return None
    return user


def begin_session(request: Request, user: dict) -> None:
    """Log ``user`` in on this browser: a new session, so nothing planted before it carries
    over, that notes when it began (a logout ends the sessions begun before it)."""
    request.session.clear()
    request.session["user_id"] = user["id"]
    request.session["since"] = now_timestamp()


async def end_session(request: Request) -> None:
    """Log out: this session, and every other the account began before now, end."""
    user_id = request.session.get("user_id")
    request.session.clear()
    if user_id:
        try:
            await writing(request, lambda store: store.note_logout(user_id))
        except ReadOnlyDatabase:  # nothing can be written with the old cookie either
            pass


async def session_user(request: Request):
    """The account logged in with this browser's cookie (None when nobody is, or in public
    mode, where nobody logs in)."""
    if request.app.state.config.public:
        return None
    user_id = request.session.get("user_id")
    if not user_id:
        return None
    user = await in_store(request, _user_of_session, user_id, request.session.get("since"))
    if user is None:
        request.session.clear()
    return user


async def token_user(request: Request):
    """The account of the API token in ``Authorization: Bearer TOKEN`` (NotSignedIn when the
    header is missing or the token unknown or revoked)."""
    if request.app.state.config.public:
        return None
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotSignedIn("log in first, or send an API token")
    return await in_store(request, team.user_for_token, token.strip())


def check_tags(tags) -> None:
    """Refuse more than MAX_TAGS tags (a list, or text of words split at commas and spaces, as
    ``team`` splits it)."""
    if tags is None:
        return
    count = len(tags.replace(",", " ").split() if isinstance(tags, str) else tags)
    if count > MAX_TAGS:
        raise InputError(f"tags: at most {MAX_TAGS} (got {count})", field="tags")


def ticked(form: dict, name: str) -> bool:
    """A form's checkbox (its value is "1"): absent or empty is False; any other value is
    refused rather than read as ticked."""
    value = form.get(name, "")
    if value not in ("", "1"):
        raise InputError(f"{name}: tick the box or leave it empty", field=name)
    return value == "1"


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use; every form carries it."""
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(32)
    return request.session["csrf"]


async def form_of(request: Request) -> dict:
    """The posted form, refused (403) unless it carries this session's CSRF token."""
    form = await request.form()
    if not team.same_secret(form.get("csrf_token"), request.session.get("csrf")):
        raise CsrfRefused("the form is out of date or was not sent by this site: reload the page"
                          " and try again")
    return {key: value for key, value in form.items() if isinstance(value, str)}


class CsrfRefused(NotAllowed):
    """A form post without this session's CSRF token."""


def status_of(error: Exception) -> int:
    if isinstance(error, BodyTooLarge):
        return 413
    return next(status for kind, status in STATUS_OF if isinstance(error, kind))


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def one_line(message: str) -> str:
    return " ".join(str(message).split())


async def forecasts_error(request: Request, error: ForecastsError) -> Response:
    status = 429 if isinstance(error, TooManyAttempts) else status_of(error)
    message = one_line(error)
    if isinstance(error, InputError) and getattr(error, "needs", None):
        message += f" (send {error.needs}: true to record it anyway)" if wants_json(request) \
            else ""
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return await error_page(request, status, message)


async def http_error(request: Request, error: HTTPException) -> Response:
    message = {404: "no such page", 405: "this address does not take that method"}.get(
        error.status_code, one_line(error.detail))
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=error.status_code)
    return await error_page(request, error.status_code, message)


async def server_error(request: Request, error: Exception) -> Response:
    message = "the server failed on this request; it was not recorded"
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=500)
    return await error_page(request, 500, message)


async def error_page(request: Request, status: int, message: str) -> Response:
    """The one error page: what went wrong in a line, and a way back."""
    user = None
    try:
        user = await session_user(request)
    except Exception:  # the error page must render even when the database does not open
        pass
    return render(request, "error.html", {"status": status, "message": message, "user": user},
                  status_code=status)


def render(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    templates = request.app.state.templates
    context = {"public": request.app.state.config.public, "csrf_token": csrf_token(request),
               **context}
    return templates.TemplateResponse(request, name, context, status_code=status_code)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (a response may set its own policy), and with
    ``strict_transport`` the header that keeps browsers to HTTPS for this site."""

    def __init__(self, app, strict_transport=False):
        self.app = app
        self.headers = dict(SECURITY_HEADERS)
        if strict_transport:
            self.headers["Strict-Transport-Security"] = "max-age=31536000"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k.lower().encode(), v.encode()) for k, v in self.headers.items()
                            if k.lower().encode() not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses a request body over ``limit`` bytes with a 413 before reading it: at once when its
    Content-Length says so, and while a body sent without one is read (the request's handler
    gets BodyTooLarge from reading, so the 413 is a page or JSON as its other errors are)."""

    def __init__(self, app, limit=MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = BodyTooLarge(f"the request body is over {self.limit // 1024 // 1024} MB:"
                                 " nothing was read or recorded")
        length = dict(scope["headers"]).get(b"content-length", b"0")
        declared = int(length) if length.isdigit() else 0
        seen = 0

        async def limited_receive():
            nonlocal seen
            if declared > self.limit:
                raise too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise too_large
            return message

        await self.app(scope, limited_receive, send)
