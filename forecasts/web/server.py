"""``forecasts serve``'s ASGI app: the routes of ``pages`` and ``api`` over the frame in ``app``
(sessions, security headers, the error handlers).

Example::

    >>> import tempfile
    >>> app = create_app(tempfile.mkdtemp() + "/team.db")
    >>> sorted({route.path for route in app.routes if route.path.startswith("/api/")})[:2]
    ['/api/calibration', '/api/leaderboard']
"""

import secrets
import sys
import threading

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import ForecastsError
from ..output import terminal_safe
from . import api, pages
from .app import (
    HERE,
    SESSION_COOKIE,
    SESSION_DAYS,
    BodyLimit,
    Config,
    LoginLimiter,
    ReadOnlyDatabase,
    SecurityHeaders,
    forecasts_error,
    http_error,
    server_error,
    with_store,
)


def _templates():
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                                     autoescape=True)
    return Jinja2Templates(env=environment)


def _session_secret(db_path):
    """The secret that signs login cookies, kept in the database so that sessions outlive a
    restart; a read-only database without one gets a secret for this run alone."""
    def read(store):
        return store.server_setting("session_secret", lambda: secrets.token_urlsafe(48))

    try:
        return with_store(db_path, read, ())
    except ReadOnlyDatabase:
        return secrets.token_urlsafe(48)


def _can_write(db_path) -> bool:
    return with_store(db_path, lambda store: store.can_write(), ())


def create_app(db_path: str, public: bool = False, behind_tls: bool = False) -> Starlette:
    """The ASGI app over the database at ``db_path`` (``public``: public questions only,
    read-only, nobody logs in; ``behind_tls``: browsers reach it over HTTPS only, so the login
    cookie is marked Secure and browsers are told to keep to HTTPS)."""
    secret = _session_secret(db_path)
    if not public and not _can_write(db_path):
        print(terminal_safe(f"Warning: {db_path} is read-only: its pages and reads are served,"
                            " every write is refused"), file=sys.stderr)
    routes = pages.routes(public) + api.routes(public) + [
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static")]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders, strict_transport=behind_tls),
                    Middleware(BodyLimit),
                    Middleware(SessionMiddleware, secret_key=secret, session_cookie=SESSION_COOKIE,
                               max_age=SESSION_DAYS * 86400, same_site="lax",
                               https_only=behind_tls)],
        exception_handlers={ForecastsError: forecasts_error, HTTPException: http_error,
                            500: server_error})
    app.state.config = Config(db_path, public)
    app.state.templates = _templates()
    app.state.login_limiter = LoginLimiter()
    app.state.write_lock = threading.Lock()
    return app
