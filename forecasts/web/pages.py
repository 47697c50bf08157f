"""The server-rendered pages: log in, questions, a question, new question, forecast, resolve, a
forecaster, the leaderboard, the HTML report and the admin's accounts page.

Every handler reads the request, calls one function in ``views`` (in a worker thread, on its
own Store) and renders a template; a write is a form post carrying the CSRF token and answers
with a redirect (post/redirect/get), so reloading a page never posts twice.
"""

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import team
from ..errors import InputError, NotSignedIn
from . import views
from .app import (
    TooManyAttempts,
    begin_session,
    check_tags,
    end_session,
    form_of,
    in_store,
    render,
    session_user,
    ticked,
    writing,
)

REPORT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
                 " frame-ancestors 'none'")


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


def _back_to(target) -> str:
    """A redirect target after login: a path on this site only."""
    target = target or "/questions"
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/questions"
    return target


def _redirect(path: str) -> Response:
    return RedirectResponse(path, status_code=303)


async def _member(request: Request):
    """The logged-in account; NotSignedIn when nobody is (public mode needs none)."""
    user = await session_user(request)
    if user is None and not request.app.state.config.public:
        raise NotSignedIn("log in first")
    return user


def _login_first(request: Request) -> Response:
    return _redirect("/login?next=" + quote(request.url.path + (
        "?" + request.url.query if request.url.query else ""), safe="/?=&"))


async def home(request: Request) -> Response:
    return _redirect("/questions")


async def login_page(request: Request) -> Response:
    if await session_user(request):
        return _redirect(_back_to(request.query_params.get("next")))
    return render(request, "login.html", {"user": None, "error": None,
                                          "next": _back_to(request.query_params.get("next"))})


async def login(request: Request) -> Response:
    form = await form_of(request)
    name, password = form.get("username", ""), form.get("password", "")
    limiter = request.app.state.login_limiter
    if not limiter.allowed(name, _client(request)):
        raise TooManyAttempts("too many failed logins: wait a few minutes and try again")
    try:
        user = await in_store(request, team.authenticate, name, password)
    except NotSignedIn as error:
        limiter.failed(name, _client(request))
        return render(request, "login.html", {"user": None, "error": str(error),
                                              "next": _back_to(form.get("next"))},
                      status_code=401)
    begin_session(request, user)
    return _redirect(_back_to(form.get("next")))


async def logout(request: Request) -> Response:
    await form_of(request)
    await end_session(request)
    return _redirect("/login")


async def question_list(request: Request) -> Response:
    user = await session_user(request)
    if user is None and not request.app.state.config.public:
        return _login_first(request)
    filters = {key: request.query_params.get(key, "").strip()
               for key in ("status", "tag", "by", "q")}
    if filters["status"] not in ("", "open", "due", "resolved"):
        raise InputError("status: give open, due or resolved", field="status")
    rows = await in_store(request, views.question_rows, user, request.app.state.config.public,
                          filters)
    return render(request, "questions.html", {"user": user, "questions": rows,
                                              "filters": filters})


async def new_question_page(request: Request) -> Response:
    user = await session_user(request)
    if user is None:
        return _login_first(request)
    team.require(user, "create")
    return render(request, "new_question.html", {"user": user})


async def create_question(request: Request) -> Response:
    form = await form_of(request)
    user = await _member(request)
    check_tags(form.get("tags"))
    question = await writing(request, team.create_question, user, form.get("text"),
                              form.get("resolves"), form.get("visibility") or "team",
                              form.get("tags", ""), form.get("criteria"),
                              ticked(form, "hide_forecasts"), form.get("options"))
    return _redirect(f"/questions/{question['id']}")


async def question_page(request: Request) -> Response:
    user = await session_user(request)
    if user is None and not request.app.state.config.public:
        return _login_first(request)
    page = await in_store(request, views.question_page, user, request.path_params["ref"],
                          request.app.state.config.public)
    return render(request, "question.html", {"user": user, **page,
                                             "logged": request.query_params.get("logged")})


async def log_forecast(request: Request) -> Response:
    form = await form_of(request)
    user = await _member(request)
    ref = request.path_params["ref"]
    result = await writing(request, team.forecast, user, ref, form.get("probability"),
                            form.get("by"), form.get("quote"), form.get("source"), form.get("on"))
    return _redirect(f"/questions/{result['question_id']}?logged={result['forecast_id']}")


async def resolve_question(request: Request) -> Response:
    form = await form_of(request)
    user = await _member(request)
    result = await writing(request, team.resolve, user, request.path_params["ref"],
                            form.get("outcome"), form.get("evidence"), form.get("note"),
                            None, ticked(form, "correct"))
    return _redirect(f"/questions/{result['question_id']}")


async def forecaster_page(request: Request) -> Response:
    user = await session_user(request)
    if user is None and not request.app.state.config.public:
        return _login_first(request)
    page = await in_store(request, views.forecaster_page, user, request.path_params["name"],
                          request.app.state.config.public)
    return render(request, "forecaster.html", {"user": user, **page})


async def leaderboard(request: Request) -> Response:
    user = await session_user(request)
    if user is None and not request.app.state.config.public:
        return _login_first(request)
    rows = await in_store(request, views.leaderboard_rows, user,
                          request.app.state.config.public)
    return render(request, "leaderboard.html", {"user": user, "rows": rows})


async def report(request: Request) -> Response:
    """The HTML report, for admins: it covers every question, private ones included."""
    user = await session_user(request)
    if user is None:
        return _login_first(request)
    team.require(user, "manage")
    html = await in_store(request, views.report_html)
    # the report is one self-contained file: its styles are inline, and it runs no script
    return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_POLICY})


async def users_page(request: Request) -> Response:
    user = await session_user(request)
    if user is None:
        return _login_first(request)
    team.require(user, "manage")
    users = await in_store(request, views.user_rows)
    return render(request, "users.html", {"user": user, "users": users,
                                          "roles": team.ROLES, "added": None})


async def add_user(request: Request) -> Response:
    form = await form_of(request)
    user = await _member(request)
    team.require(user, "manage")
    name, role = form.get("name", ""), form.get("role", "member")
    password = await writing(request, team.add_user, name, role)
    users = await in_store(request, views.user_rows)
    # shown once, on this page only: a redirect would have to carry it; and kept by no cache
    page = render(request, "users.html", {"user": user, "users": users, "roles": team.ROLES,
                                          "added": {"name": name, "password": password}})
    page.headers["Cache-Control"] = "no-store"
    return page


async def revoke_user(request: Request) -> Response:
    await form_of(request)
    user = await _member(request)
    team.require(user, "manage")
    await writing(request, team.revoke, request.path_params["name"])
    return _redirect("/users")


def routes(public: bool) -> list:
    """The page routes; in public mode the read-only ones alone."""
    read = [Route("/", home), Route("/questions", question_list),
            Route("/questions/{ref}", question_page),
            Route("/forecasters/{name:path}", forecaster_page),
            Route("/leaderboard", leaderboard)]
    if public:
        return read
    return read[:2] + [
        Route("/report", report),
        Route("/login", login_page), Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/questions", create_question, methods=["POST"]),
        Route("/questions/new", new_question_page),
        Route("/users", users_page), Route("/users", add_user, methods=["POST"]),
        Route("/users/{name}/revoke", revoke_user, methods=["POST"]),
        Route("/questions/{ref}/forecasts", log_forecast, methods=["POST"]),
        Route("/questions/{ref}/resolution", resolve_question, methods=["POST"]),
    ] + read[2:]
