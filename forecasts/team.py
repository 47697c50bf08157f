"""Accounts, roles and visibility for a team sharing one database (``forecasts serve``).

Every write still goes through ``tracker`` (validation, the hash chain, the hindsight guard); this
module decides who may do it, notes which account recorded it, and hides what a reader may not
see. Passwords are hashed with argon2 (argon2-cffi, in the ``serve`` extra); API tokens are long
random strings stored as sha256 hashes and shown once.

Example::

    >>> store = Store.open(":memory:")
    >>> password = add_user(store, "alice", "member")
    >>> alice = authenticate(store, "alice", password)
    >>> q = create_question(store, alice, "It rains on 2031-01-02", resolves="2031-01-02",
    ...                     visibility="private")
    >>> _ = add_user(store, "bob", "member")
    >>> visible_question(store, store.find_user("bob"), q["id"])
    Traceback (most recent call last):
    ...
    forecasts.errors.NotFound: no question '1'
"""

import hashlib
import hmac
import re
import secrets

from . import tracker
from .errors import ForecastsError, InputError, NotAllowed, NotFound, NotSignedIn
from .store import Store

ROLES = ("member", "resolver", "admin")
VISIBILITIES = ("private", "team", "public")
# What each role may do, on top of reading what it can see.
PERMISSIONS = {
    "member": {"forecast", "create"},
    "resolver": {"forecast", "create", "resolve"},
    "admin": {"forecast", "create", "resolve", "manage"},
}
# A question logged outside the server (the CLI, an import) has no access row: the team sees it.
DEFAULT_VISIBILITY = "team"
MAX_FIELD_LENGTH = 2000

__all__ = ["ROLES", "VISIBILITIES", "add_user", "new_token", "revoke", "authenticate",
           "user_for_token", "require", "visible_questions", "visible_question",
           "create_question", "forecast", "resolve", "same_secret", "token_hash"]


def _hasher():
    try:
        from argon2 import PasswordHasher
    except ImportError:
        raise ForecastsError('accounts need argon2-cffi: pip install "forecasts[serve]"') from None
    return PasswordHasher()


def token_hash(token: str) -> str:
    """How an API token is stored: its sha256 (a token is random, so it needs no salt).

    >>> token_hash("abc")[:8]
    'ba7816bf'
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_secret(given, expected) -> bool:
    """Whether two secrets match, compared in constant time.

    >>> same_secret("abc", "abc"), same_secret("", ""), same_secret(None, "abc")
    (True, False, False)
    """
    return (isinstance(given, str) and isinstance(expected, str) and bool(given)
            and hmac.compare_digest(given.encode(), expected.encode()))


def _clean_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name or len(name) > 64 or not name.isprintable():
        raise InputError("user name: give 1 to 64 printable characters", field="user name")
    return name


def add_user(store: Store, name: str, role: str = "member") -> str:
    """Create an account and its own forecaster of the same name; returns a one-time password.

    >>> len(add_user(Store.open(":memory:"), "rita", "resolver")) > 16
    True
    """
    name = _clean_name(name)
    if role not in ROLES:
        raise InputError(f"role: {role!r} is not one of {', '.join(ROLES)}", field="role")
    password = secrets.token_urlsafe(15)
    hashed = _hasher().hash(password)
    with store.transaction():
        if store.find_user(name) is not None:
            raise InputError(f"user {name!r} already exists")
        forecaster = store.find_forecaster(name)
        if forecaster and store.user_of_forecaster(forecaster["id"]):
            raise InputError(f"forecaster {name!r} already belongs to an account")
        forecaster_id = forecaster["id"] if forecaster else store.forecaster_id(name)
        store.add_user(name, role, hashed, forecaster_id)
    return password


def _live_user(store, name):
    user = store.find_user(_clean_name(name))
    if user is None:
        raise NotFound(f"no user {name!r}")
    if user["revoked"]:
        raise InputError(f"user {name!r} was revoked on {user['revoked'][:10]}")
    return user


def new_token(store: Store, name: str) -> str:
    """A new API token for the account ``name``, shown only now (the database keeps its hash).

    >>> store = Store.open(":memory:")
    >>> _ = add_user(store, "ann")
    >>> user_for_token(store, new_token(store, "ann"))["name"]
    'ann'
    """
    user = _live_user(store, name)
    token = "fc_" + secrets.token_urlsafe(32)
    store.add_api_token(user["id"], token_hash(token))
    return token


def revoke(store: Store, name: str) -> dict:
    """Revoke an account: its password and every token stop working at once."""
    user = _live_user(store, name)
    store.revoke_user(user["id"])
    return store.user_by_id(user["id"])


# Checked when the name is unknown too, so that timing does not tell which names exist.
_DUMMY_HASH = []


def authenticate(store: Store, name: str, password: str) -> dict:
    """The live account if ``password`` is its password; NotSignedIn otherwise."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    name = " ".join(str(name or "").split())
    user = store.find_user(name) if name else None
    if user is None or user["revoked"]:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hasher.hash(secrets.token_urlsafe(8)))
        try:
            hasher.verify(_DUMMY_HASH[0], password or "-")
        except VerificationError:
            pass
        raise NotSignedIn("wrong user name or password")
    try:
        hasher.verify(user["password_hash"], password or "")
    except (VerificationError, InvalidHashError):
        raise NotSignedIn("wrong user name or password") from None
    return user


def user_for_token(store: Store, token: str) -> dict:
    """The live account holding API token ``token``; NotSignedIn otherwise."""
    user = store.user_for_token(token_hash(token)) if token else None
    if user is None:
        raise NotSignedIn("the API token is unknown or revoked")
    return user


def require(user, action: str) -> None:
    """Refuse ``action`` unless ``user``'s role allows it (None: a reader who is not signed in).

    >>> require({"role": "member"}, "resolve")
    Traceback (most recent call last):
    ...
    forecasts.errors.NotAllowed: a member may not resolve; ask an admin for the role
    """
    if user is None:
        raise NotSignedIn("log in first")
    if action not in PERMISSIONS[user["role"]]:
        raise NotAllowed(f"a {user['role']} may not {action}; ask an admin for the role")


def _can_see(user, access, public_only):
    visibility = access["visibility"] if access else DEFAULT_VISIBILITY
    if visibility == "public":
        return True
    if public_only or user is None:
        return False
    if visibility == "team":
        return True
    return access["owner_id"] == user["id"]


def _with_access(row, access):
    row["visibility"] = access["visibility"] if access else DEFAULT_VISIBILITY
    row["hide_forecasts"] = bool(access and access["hide_forecasts"])
    return row


def visible_questions(store: Store, user, public_only=False, status=None, by=None, tag=None,
                      search=None) -> list:
    """The questions ``user`` may see, filtered like ``forecasts list`` plus a text search: due
    ones first, then open ones by resolution date, then resolved ones."""
    access = store.question_access()
    rows = [_with_access(row, access.get(row["id"]))
            for row in tracker.list_questions(store, status=status or None, by=by or None,
                                              tag=tag or None)
            if _can_see(user, access.get(row["id"]), public_only)]
    if search:
        words = search.lower().split()
        rows = [r for r in rows if all(w in (r["text"] + " " + r["slug"]).lower() for w in words)]
    order = {"due": 0, "open": 1}
    return sorted(rows, key=lambda r: (order.get(r["status"], 2), r["resolves"] or "9999",
                                       r["id"]))


def visible_ids(store: Store, user, public_only=False) -> set:
    """The ids of the questions ``user`` may see."""
    return {row["id"] for row in visible_questions(store, user, public_only)}


def _seen_question(store, user, ref, public_only=False) -> dict:
    """The question row of ``ref`` if ``user`` may see it (NotFound otherwise): the check
    before a write, without reading the question's forecasts."""
    try:
        question = store.find_question(ref)
    except NotFound:
        raise NotFound(f"no question {str(ref).strip()!r}") from None
    if not _can_see(user, store.access_of(question["id"]), public_only):
        raise NotFound(f"no question {str(ref).strip()!r}")
    return question


def visible_question(store: Store, user, ref, public_only=False) -> dict:
    """``tracker.question_detail`` of a question ``user`` may see (NotFound otherwise, as if it
    did not exist), with each record's recording account; others' forecasts are left out while
    the question hides them and the reader has not forecast."""
    try:
        detail = tracker.question_detail(store, ref)
    except NotFound:
        raise NotFound(f"no question {str(ref).strip()!r}") from None
    question = detail["question"]
    access = store.access_of(question["id"])
    if not _can_see(user, access, public_only):
        raise NotFound(f"no question {str(ref).strip()!r}")
    _with_access(question, access)
    own = user["forecaster_id"] if user else None
    detail["hidden"] = 0
    if question["hide_forecasts"] and not any(f["forecaster_id"] == own
                                              for f in detail["forecasts"]):
        kept = [f for f in detail["forecasts"] if f["forecaster_id"] == own]
        detail["hidden"] = len(detail["forecasts"]) - len(kept)
        detail["forecasts"] = kept
    for table, rows in (("forecasts", detail["forecasts"]),
                        ("resolutions", detail["resolutions"])):
        names = store.recorded_by(table, [r["id"] for r in rows])
        for row in rows:
            row["recorded_by"] = names.get(row["id"])
    question["recorded_by"] = store.recorded_by("questions", [question["id"]]).get(question["id"])
    return detail


def _text(value, what, required=True):
    """A text field from a form or JSON: None when empty (InputError when ``required``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError(f"{what}: required", field=what)
        return None
    if not isinstance(value, str):
        raise InputError(f"{what}: give text", field=what)
    if len(value) > MAX_FIELD_LENGTH:
        raise InputError(f"{what}: at most {MAX_FIELD_LENGTH} characters", field=what)
    return value


def _tags(tags):
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = tags.replace(",", " ").split()
    if not isinstance(tags, (list, tuple)) or not all(isinstance(t, str) for t in tags):
        raise InputError("tags: give a list of words", field="tags")
    return [t for t in tags if t.strip()]


def _options(options):
    """Options as a list, or as text with one option a line."""
    if options is None:
        return []
    if isinstance(options, str):
        options = options.splitlines()
    if not isinstance(options, (list, tuple)) or not all(isinstance(o, str) for o in options):
        raise InputError("options: give a list of labels", field="options")
    return [o for o in options if o.strip()]


def create_question(store: Store, user, text, resolves=None, visibility="team", tags=(),
                    criteria=None, hide_forecasts=False, options=()) -> dict:
    """A new question recorded by ``user``, with its visibility (``options``: a
    multiple-choice question's labels)."""
    require(user, "create")
    visibility = visibility or "team"
    if visibility not in VISIBILITIES:
        raise InputError(f"visibility: {visibility!r} is not one of {', '.join(VISIBILITIES)}",
                         field="visibility")
    with store.transaction():
        question = tracker.new_question(
            store, _text(text, "text"), resolves=_text(resolves, "resolves", required=False),
            tags=_tags(tags), criteria=_text(criteria, "criteria", required=False),
            options=_options(options))
        store.set_question_access(question["id"], visibility, user["id"], hide_forecasts)
        store.note_recorded_by("questions", question["id"], user["id"])
    return {"id": question["id"], "slug": question["slug"], "text": question["text"],
            "resolves": question["resolves"], "visibility": visibility,
            "tags": question["tags"], "options": question["options"],
            "hide_forecasts": bool(hide_forecasts)}


def forecast(store: Store, user, ref, probability, by=None, quote=None, source=None, on=None,
             public_only=False) -> dict:
    """``user`` logs a forecast (their own, or a named forecaster's, made ``on`` a date, default
    today) on a question they see; ``probability`` is read as the CLI reads it (0.7, 70%, 3:1,
    words)."""
    require(user, "forecast")
    question = _seen_question(store, user, ref, public_only)
    by = user["forecaster"] if by is None or not str(by).strip() else _text(by, "by")
    owner = store.find_forecaster(by)
    if owner is not None and owner["id"] != user["forecaster_id"]:
        account = store.user_of_forecaster(owner["id"])
        if account is not None:
            raise NotAllowed(f"{by!r} is the account {account['name']}'s own forecaster:"
                             " only they log its forecasts")
    probability = _text(probability, "probability")
    parts = [probability]
    if question["kind"] == "multiple_choice":
        parts = [p for p in re.split(r"[;,]", probability) if p.strip()]
    with store.transaction():
        result = tracker.forecast(store, str(question["id"]), by, parts,
                                  quote=_text(quote, "quote", required=False),
                                  source=_text(source, "source", required=False),
                                  on=_text(on, "made", required=False))
        store.note_recorded_by("forecasts", result["forecast_id"], user["id"])
    return result


def resolve(store: Store, user, ref, outcome, evidence=None, note=None, on=None,
            correct=False) -> dict:
    """A resolver or admin records (or, with ``correct``, corrects) a question's outcome."""
    require(user, "resolve")
    question = _seen_question(store, user, ref)
    with store.transaction():
        result = tracker.resolve(store, str(question["id"]), _text(outcome, "outcome"),
                                 on=_text(on, "on", required=False),
                                 evidence=_text(evidence, "evidence", required=False),
                                 note=_text(note, "note", required=False),
                                 correct=bool(correct))
        if result["recorded"]:
            row = store.current_resolution(question["id"])
            store.note_recorded_by("resolutions", row["id"], user["id"])
    return result
