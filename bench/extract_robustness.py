"""forecasts extract on every Wikinews article and on hostile repetitions: errors and seconds.

    python bench/extract_robustness.py      # 978 articles (errors, total and slowest seconds),
                                            # then 400 KB of repeated "will ", "said ", ...
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasts.extract import extract  # noqa: E402

WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"


def main() -> int:
    if WIKINEWS.is_file():
        with open(WIKINEWS, encoding="utf-8") as lines:
            articles = [json.loads(line) for line in lines]
        errors, slowest, started = 0, (0.0, None), time.perf_counter()
        drafts = 0
        for article in articles:
            begun = time.perf_counter()
            try:
                drafts += len(extract(article["text"])["drafts"])
            except Exception:  # noqa: BLE001  (counted and shown, the point of the bench)
                errors += 1
                print(f"ERROR {article['id']}: {traceback.format_exc().splitlines()[-1]}")
            slowest = max(slowest, (time.perf_counter() - begun, article["id"]))
        print(f"{len(articles)} Wikinews articles: {errors} errors, {drafts} drafts, "
              f"{time.perf_counter() - started:.1f} s in all, slowest {slowest[0]:.2f} s "
              f"({slowest[1]})")
    else:
        print(f"no Wikinews articles at {WIKINEWS}", file=sys.stderr)
    for unit in ("will ", "said ", "likely to ", "Mr. Smith said. ", "... ", "The race will be close. "):
        text = (unit * (400_000 // len(unit) + 1))[:400_000]
        begun = time.perf_counter()
        extract(text)
        print(f"400 KB of {unit!r}: {time.perf_counter() - begun:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
