"""Anchors: the chain head published outside the database, so that history cannot be rewritten
unseen.

Inside one file, deleting the newest records together with their chain entries, or dropping the
whole chain and hashing every record again, leaves a chain that ``verify`` finds consistent. An
anchor is a line of JSON with the chain head, its place in the chain and a UTC time, appended to
a file outside the database (or printed, to publish where others keep a copy). ``verify
--anchors FILE`` then checks that every anchored head is still in the chain at its place: the
records up to it are the ones that were there when it was taken.

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> _ = store.forecaster_id("Alice")
    >>> anchor = take_anchor(store.conn)
    >>> anchor["entries"], check_anchors(store.conn, [anchor])
    (1, [])
"""

from __future__ import annotations

import datetime
import json
import os
import re

from . import chain, files
from .errors import InputError, StorageError

HASH = re.compile(r"[0-9a-f]{64}")


def take_anchor(conn) -> dict:
    """The chain head now: ``head`` (its hash), ``entries`` (its place: how many records it
    covers) and ``time`` (UTC)."""
    latest = chain.chain_entry(conn)
    if latest is None:
        raise StorageError("the database holds no records yet: there is nothing to anchor")
    seq, head = latest
    return {"head": head, "entries": seq,
            "time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}


def anchor_line(anchor: dict) -> str:
    return json.dumps(anchor, separators=(", ", ": ")) + "\n"


def append_anchor(path, anchor: dict, database=None) -> None:
    """Append ``anchor`` as a line to the file at ``path`` (created when new), written whole
    (the old lines and the new one, then renamed into place) and never over the database."""
    files.check_not_database(path, database)
    old = b""
    if os.path.exists(path):
        read_anchors(path)  # refuse to append to a file that is not anchors
        old = files.read_input(path, "an anchors file")
        if old and not old.endswith(b"\n"):
            old += b"\n"
    files.write_atomically(path, lambda f: f.write(old + anchor_line(anchor).encode("ascii")),
                           database=database)


def read_anchors(path) -> list[dict]:
    """The anchors in the file at ``path``, each checked (a one-line InputError otherwise)."""
    text = files.read_input_text(path, "an anchors file")
    anchors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            anchor = json.loads(line, parse_int=files.bounded_int)
        except (ValueError, RecursionError):
            anchor = None
        if (not isinstance(anchor, dict) or not isinstance(anchor.get("head"), str)
                or not HASH.fullmatch(anchor["head"]) or type(anchor.get("entries")) is not int
                or anchor["entries"] < 1 or not isinstance(anchor.get("time"), str)):
            raise InputError(f"{path} line {number} is not an anchor (a JSON object with the "
                             "chain 'head', its 'entries' and the 'time', as `forecasts anchor` "
                             "writes)")
        anchors.append(anchor)
    if not anchors:
        raise InputError(f"{path} holds no anchors")
    return anchors


def check_anchors(conn, anchors: list[dict]) -> list[dict]:
    """A problem for every anchor whose head is no longer in the chain at its place."""
    problems = []
    for anchor in anchors:
        found = chain.chain_entry(conn, anchor["entries"])
        where = f"{anchor['time']} ({anchor['entries']} records, head {anchor['head'][:12]})"
        if found is None:
            problem = ("its chain entry is gone: records recorded before the anchor were "
                       "deleted, with their chain entries")
        elif found[1] != anchor["head"]:
            problem = ("the chain holds another hash there: history before the anchor was "
                       "rewritten")
        else:
            continue
        problems.append({"table": "anchor", "id": None, "problem": f"{where}: {problem}"})
    return problems
