"""Draft files from ``forecasts extract``: detected here, logged through the tracker by
``forecasts.drafts.log_drafts`` (as ``forecasts import-drafts`` does), so ``read`` is None.

Example::

    >>> FORMAT.detect("notes.jsonl", b'{"drafts": []}')
    False
"""

import os

from . import ImportFormat


def detect(path: str, head: bytes) -> bool:
    """Whether ``path`` holds drafts written by `forecasts extract` (a JSON object with
    "drafts"), rather than JSON Lines."""
    import json

    from ..files import MAX_ARTICLE_BYTES

    if path == "-" or not path.lower().endswith(".json") or not os.path.isfile(path):
        return False
    try:
        if os.path.getsize(path) > MAX_ARTICLE_BYTES:
            return False
        with open(path, encoding="utf-8") as f:
            return isinstance(json.load(f).get("drafts"), list)
    except (OSError, ValueError, AttributeError, RecursionError):
        return False


FORMAT = ImportFormat("drafts", detect, None, one_file_message="import one draft file at a time")
