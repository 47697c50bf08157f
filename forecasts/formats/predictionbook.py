"""PredictionBook (predictionbook.com): a JSON list of predictions, each with its responses.

Each element is one prediction: ``number`` (PredictionBook's id), ``event`` (the statement),
``outcome`` (right: it came true; wrong: it did not), ``user`` (who created it),
``time_created``, ``time_known`` (the deadline) and ``responses``, every action in order as
``{user, time, actions}``, where ``actions`` may hold ``credence`` (that user's probability in
percent that the statement is true), ``comment``, ``outcome`` (a judgement: right, wrong or
unknown), ``change-deadline``, ``change-prediction`` and ``made-visible``.

How it maps: a question per prediction (id ``predictionbook-<number>``), opening when it was
created and due on its deadline (the last ``change-deadline`` when it was changed; a deadline
before the creation date leaves the question without an opening date, so none of its forecasts
is scored); a forecast per credence, by the user who gave it, made and recorded at its time.
Judgements are resolutions in the order they were made (right is yes, wrong is no, unknown voids
it as annulled), so the latest stands and the earlier ones are its history; a prediction whose
responses hold no judgement resolves as its listed ``outcome``, dated its deadline (or, when
the deadline is still to come, the last date the record shows: the outcome was known by then,
and a resolution is never dated ahead of today). Comments,
statement edits and visibility changes are counted and left out.

Example::

    >>> FORMAT.detect("p.json", b'[{"number": 1, "event": "x", "time_known": "", "responses": []}]')
    True
"""

import collections
import datetime
import json

from ..files import bounded_int
from ..names import shown_invisible
from . import ImportFormat, Reading
from .common import counted, left_out_note, plural, read_text, refuse, utc_time

REQUIRED = ("number", "event", "outcome", "user", "time_created", "time_known", "responses")
JUDGEMENTS = {"right": "yes", "wrong": "no", "unknown": "annulled"}
URL = "https://predictionbook.com/predictions/{}"


def detect(path: str, head: bytes) -> bool:
    text = head.decode("utf-8", "replace").lstrip("\ufeff").lstrip()
    return text.startswith("[") and all(f'"{key}"' in text for key in
                                        ("number", "event", "time_known", "responses"))


def _time(value, what, label):
    try:
        return utc_time(value) if isinstance(value, str) else utc_time("")
    except ValueError:
        refuse(f"{label}: {what!r} is not a time: {value!r}")


class Converter:
    """Turns predictions into records, counting what it read, made and left out."""

    def __init__(self, name):
        self.name = name
        self.read = collections.Counter()
        self.made = collections.Counter()
        self.left_out = collections.Counter()
        self.users = set()
        self.today = datetime.date.today().isoformat()

    def prediction(self, index, prediction):
        label = f"{self.name} prediction {index}"
        if not isinstance(prediction, dict):
            refuse(f"{label} is not an object")
        missing = [key for key in REQUIRED if key not in prediction]
        if missing:
            refuse(f"{label} has no {missing[0]!r}, so this is not a PredictionBook file")
        number = prediction["number"]
        if isinstance(number, bool) or not isinstance(number, int):
            refuse(f"{label}: 'number' must be a whole number, got {number!r}")
        label = f"{self.name} prediction {number}"
        if prediction["outcome"] not in ("right", "wrong"):
            refuse(f"{label}: 'outcome' must be right or wrong, got {prediction['outcome']!r}")
        if not isinstance(prediction["responses"], list):
            refuse(f"{label}: 'responses' must be a list")
        slug, url = f"predictionbook-{number}", URL.format(number)
        created = _time(prediction["time_created"], "time_created", label)
        deadline = _time(prediction["time_known"], "time_known", label)
        forecasts, judgements = [], []
        for position, response in enumerate(prediction["responses"], start=1):
            forecasts_and_judgements = self._response(response, f"{label} response {position}",
                                                      slug, url)
            for record in forecasts_and_judgements:
                if record["type"] == "forecast":
                    forecasts.append(record)
                elif record["type"] == "resolution":
                    judgements.append(record)
                else:
                    deadline = record["deadline"]
        opens = created[:10]
        if deadline[:10] < opens:
            opens = None
            self.left_out["opening dates of predictions due before they were made"] += 1
        question = {"type": "question", "id": slug, "text": prediction["event"],
                    "opens": opens, "resolves": deadline[:10], "created": created}
        self.made["question"] += 1
        records = [question, *forecasts]
        if judgements:
            if judgements[-1]["outcome"] != JUDGEMENTS[prediction["outcome"]]:
                self.read["prediction whose last judgement differs from its listed outcome"] += 1
            if opens:
                for judgement in judgements:
                    judgement["resolved"] = max(judgement["resolved"], opens)
            records += judgements
        elif deadline[:10] <= self.today:
            records.append({"type": "resolution", "question": slug,
                            "outcome": JUDGEMENTS[prediction["outcome"]],
                            "resolved": max(deadline[:10], opens or deadline[:10]),
                            "evidence": url, "note": "PredictionBook's listed outcome"})
            self.read["listed outcome with no judgement in the responses (dated its deadline)"] \
                += 1
        else:  # known before a deadline still to come: by the last thing the record shows
            last = max([created[:10], *(f["made"][:10] for f in forecasts)])
            records.append({"type": "resolution", "question": slug,
                            "outcome": JUDGEMENTS[prediction["outcome"]], "resolved": last,
                            "evidence": url, "note": "PredictionBook's listed outcome"})
            self.read["listed outcome with no judgement, due after today (dated its last "
                      "response)"] += 1
        self.made["resolution"] += len(judgements) or 1
        self.made["forecast"] += len(forecasts)
        return [(label, record) for record in records]

    def _response(self, response, label, slug, url):
        if not isinstance(response, dict) or not isinstance(response.get("actions"), dict):
            refuse(f"{label} is not an object with 'actions'")
        user = response.get("user")
        if not isinstance(user, str) or not user.strip():
            refuse(f"{label}: 'user' is missing")
        user = shown_invisible(user)  # a site's user name is kept, its invisible characters shown
        moment = _time(response.get("time"), "time", label)
        actions = response["actions"]
        if "credence" in actions:
            credence = actions["credence"]
            if (isinstance(credence, bool) or not isinstance(credence, (int, float))
                    or not 0 <= credence <= 100):
                refuse(f"{label}: 'credence' must be a percentage from 0 to 100, got "
                       f"{credence!r}")
            self.users.add(user.lower())
            self.read["credence"] += 1
            yield {"type": "forecast", "question": slug, "by": user, "p": credence / 100,
                   "input": f"{credence}%", "made": moment[:10], "recorded": moment,
                   "source": url}
        if "outcome" in actions:
            word = actions["outcome"]
            if word not in JUDGEMENTS:
                refuse(f"{label}: a judgement is right, wrong or unknown, not {word!r}")
            self.read[f"judgement '{word}'"] += 1
            yield {"type": "resolution", "question": slug, "outcome": JUDGEMENTS[word],
                   "resolved": moment[:10], "recorded": moment, "evidence": url,
                   "note": f"judged {word} by {user} on PredictionBook"}
        if "change-deadline" in actions:
            self.read["deadline change"] += 1
            yield {"type": "deadline",
                   "deadline": _time(actions["change-deadline"], "change-deadline", label)}
        for action in ("comment", "change-prediction", "made-visible"):
            if action in actions:
                self.left_out[{"comment": "comments", "change-prediction": "statement edits",
                               "made-visible": "visibility changes"}[action]] += 1


def read(paths) -> Reading:
    (path,) = paths
    text = read_text(path, "a PredictionBook file")
    try:
        predictions = json.loads(text, parse_int=bounded_int)
    except RecursionError:
        refuse(f"{path} is not valid JSON: nested too deeply")
    except json.JSONDecodeError as error:
        refuse(f"{path} is not valid JSON ({error.msg} at line {error.lineno})")
    except ValueError as error:
        refuse(f"{path}: {error}")
    if not isinstance(predictions, list):
        refuse(f"{path} is not a PredictionBook file: expected a JSON list of predictions")
    converter = Converter(path)
    records = []
    for index, prediction in enumerate(predictions, start=1):
        records += converter.prediction(index, prediction)
    made = dict(converter.made, forecaster=len(converter.users))
    summary = {"predictions": len(predictions), "read": dict(converter.read), "made": made,
               "left_out": dict(converter.left_out)}
    read_counts = ", ".join(f"{what} {n}" for what, n in converter.read.items())
    notes = [f"PredictionBook: read {plural(len(predictions), 'prediction')} ({read_counts}); "
             f"made {counted(made)}" + left_out_note(converter.left_out) + "."]
    return Reading(records=records, summary=summary, notes=notes)


FORMAT = ImportFormat("predictionbook", detect, read)
