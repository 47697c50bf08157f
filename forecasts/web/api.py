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
from .app import check_tags, in_store, token_user, writing

# What each write takes, field by field, and the JSON type each field must have: any other
# field, or a field of another type, is a 422 naming it, before anything is written. A field
# sent as null counts as not sent.
TEXT, BOOLEAN, PROBABILITY, LABELS = "text", "boolean", "probability", "labels"
WANTED = {TEXT: "give a JSON string", BOOLEAN: "give true or false (a JSON boolean)",
          PROBABILITY: 'give a number or a JSON string (0.7, "70%", "probably")',
          LABELS: "give a list of JSON strings"}
QUESTION_FIELDS = {"text": TEXT, "resolves": TEXT, "visibility": TEXT, "tags": LABELS,
                   "criteria": TEXT, "hide_forecasts": BOOLEAN, "options": LABELS}
FORECAST_FIELDS = {"p": PROBABILITY, "probability": PROBABILITY, "by": TEXT, "on": TEXT,
                   "quote": TEXT, "source": TEXT}
RESOLUTION_FIELDS = {"outcome": TEXT, "evidence": TEXT, "note": TEXT, "on": TEXT,
                     "correct": BOOLEAN}
# The library names a date by what it is; the API's clients sent it as "on".
DATE_FIELDS = ("made", "resolved")


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
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        raise InputError("body: send a JSON object") from None
    if not isinstance(body, dict):
        raise InputError("body: send a JSON object")
    return body


def _is(kind, value) -> bool:
    if kind == TEXT:
        return isinstance(value, str)
    if kind == BOOLEAN:
        return isinstance(value, bool)
    if kind == PROBABILITY:
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)
    return isinstance(value, str) or (isinstance(value, list)
                                      and all(isinstance(v, str) for v in value))


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def fields_of(body: dict, kinds: dict) -> dict:
    """The body's fields, each checked against its kind in ``kinds`` (absent ones None).

    >>> fields_of({"text": "It rains"}, {"text": TEXT, "hide_forecasts": BOOLEAN})
    {'text': 'It rains', 'hide_forecasts': None}
    >>> fields_of({"hide_forecasts": "false"}, {"hide_forecasts": BOOLEAN})
    Traceback (most recent call last):
    ...
    forecasts.errors.InputError: hide_forecasts: give true or false (a JSON boolean), not "false"
    """
    for name in body:
        if name not in kinds:
            raise InputError(f"{_shown(name)}: not a field of this request (it takes "
                             f"{', '.join(kinds)})", field=name)
    for name, kind in kinds.items():
        value = body.get(name)
        if value is not None and not _is(kind, value):
            raise InputError(f"{name}: {WANTED[kind]}, not {_shown(value)}", field=name)
    if "tags" in kinds:
        check_tags(body.get("tags"))
    return {name: body.get(name) for name in kinds}


async def _writing_dated(request: Request, sent: dict, work, *args):
    """``writing``, with an error about the date worded as the field the client sent: "on"."""
    try:
        return await writing(request, work, *args)
    except InputError as error:
        if error.field in DATE_FIELDS and sent.get("on") is not None:
            raise InputError(error.worded("on"), field="on") from None
        raise


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
    body = fields_of(await body_of(request), QUESTION_FIELDS)
    question = await writing(request, team.create_question, user, body["text"],
                              body["resolves"], body["visibility"] or "team", body["tags"],
                              body["criteria"], bool(body["hide_forecasts"]), body["options"])
    return answer(question, status=201)


async def show_question(request: Request) -> Response:
    user = await token_user(request)
    detail = await in_store(request, team.visible_question, user, request.path_params["ref"],
                            _public(request))
    return answer(detail)


async def log_forecast(request: Request) -> Response:
    user = await token_user(request)
    body = fields_of(await body_of(request), FORECAST_FIELDS)
    if body["p"] is not None and body["probability"] is not None:
        raise InputError("p: give p or probability, not both", field="p")
    probability = body["probability"] if body["p"] is None else body["p"]
    result = await _writing_dated(request, body, team.forecast, user,
                                  request.path_params["ref"], probability, body["by"],
                                  body["quote"], body["source"], body["on"])
    return answer(result, status=201)


async def resolve_question(request: Request) -> Response:
    user = await token_user(request)
    body = fields_of(await body_of(request), RESOLUTION_FIELDS)
    result = await _writing_dated(request, body, team.resolve, user,
                                  request.path_params["ref"], body["outcome"],
                                  body["evidence"], body["note"], body["on"],
                                  bool(body["correct"]))
    if not result["recorded"]:  # the outcome as it stood: nothing was corrected
        result["correction"] = False
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
