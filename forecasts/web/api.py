"""The JSON API under ``/api/``: questions, forecasts, resolutions, scores and calibration, for
scripts and bots, with ``Authorization: Bearer TOKEN`` (``forecasts user token NAME``).

Answers: 401 without credentials, 403 without the role, 404 for a question the caller may not
see, 422 with a one-line ``error`` for bad input. In public mode only the reads are served, of
public questions, without a token.
"""

import json
import math

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import team
from ..errors import InputError
from . import views
from .app import in_store, token_user, writing


def jsonable(value):
    """``value`` with numpy numbers made Python numbers and NaN or infinity made None.

    >>> import numpy as np
    >>> jsonable({"a": [np.float64(0.5), float("nan")], "b": np.int64(3)})
    {'a': [0.5, None], 'b': 3}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def answer(value, status: int = 200) -> Response:
    return JSONResponse(jsonable(value), status_code=status)


async def body_of(request: Request) -> dict:
    try:
        body = json.loads(await request.body() or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InputError("body: send a JSON object") from None
    if not isinstance(body, dict):
        raise InputError("body: send a JSON object")
    return body


def _public(request):
    return request.app.state.config.public


async def list_questions(request: Request) -> Response:
    user = await token_user(request)
    filters = {key: request.query_params.get(key) for key in ("status", "tag", "by", "q")}
    if filters["status"] not in (None, "", "open", "due", "resolved"):
        raise InputError("status: give open, due or resolved")
    rows = await in_store(request, views.question_rows, user, _public(request), filters)
    return answer({"questions": rows})


async def create_question(request: Request) -> Response:
    user = await token_user(request)
    body = await body_of(request)
    question = await writing(request, team.create_question, user, body.get("text"),
                              body.get("resolves"), body.get("visibility") or "team",
                              body.get("tags"), body.get("criteria"),
                              bool(body.get("hide_forecasts")), body.get("options"))
    return answer(question, status=201)


async def show_question(request: Request) -> Response:
    user = await token_user(request)
    detail = await in_store(request, team.visible_question, user, request.path_params["ref"],
                            _public(request))
    return answer(detail)


async def log_forecast(request: Request) -> Response:
    user = await token_user(request)
    body = await body_of(request)
    probability = body.get("p", body.get("probability"))
    result = await writing(request, team.forecast, user, request.path_params["ref"],
                            probability, body.get("by"), body.get("quote"), body.get("source"),
                            body.get("on"))
    return answer(result, status=201)


async def resolve_question(request: Request) -> Response:
    user = await token_user(request)
    body = await body_of(request)
    result = await writing(request, team.resolve, user, request.path_params["ref"],
                            body.get("outcome"), body.get("evidence"), body.get("note"),
                            body.get("on"), bool(body.get("correct")))
    return answer(result, status=201 if result["recorded"] else 200)


async def scores(request: Request) -> Response:
    """Scores over the questions the caller may see (``?by=NAME`` for one forecaster)."""
    user = await token_user(request)
    rows = await in_store(request, views.scores, user, _public(request),
                          request.query_params.get("by"))
    return answer({"scores": rows})


async def leaderboard(request: Request) -> Response:
    user = await token_user(request)
    rows = await in_store(request, views.leaderboard_rows, user, _public(request))
    return answer({"leaderboard": rows})


async def calibration(request: Request) -> Response:
    user = await token_user(request)
    return answer(await in_store(request, views.calibration, user, _public(request),
                                 request.query_params.get("by")))


def routes(public: bool) -> list:
    read = [Route("/api/questions", list_questions), Route("/api/scores", scores),
            Route("/api/leaderboard", leaderboard), Route("/api/calibration", calibration),
            Route("/api/questions/{ref}", show_question)]
    if public:
        return read
    return read[:4] + [
        Route("/api/questions", create_question, methods=["POST"]),
        Route("/api/questions/{ref}/forecasts", log_forecast, methods=["POST"]),
        Route("/api/questions/{ref}/resolution", resolve_question, methods=["POST"]),
    ] + read[4:]
