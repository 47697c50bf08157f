"""forecasts extract against the hand-labelled Wikinews gold set (shared/data/wikinews/gold).

Each gold file labels one article of shared/data/wikinews/articles.jsonl: forecast claims (with
offsets, speaker, table value and resolution date), distractors and optional spans. A draft
matches a claim when its cue lies inside the claim's span; drafts and claims are paired one to
one (a sentence draft is never credited for two claims). A draft whose cue is inside an optional
span counts neither way; any other unmatched draft is a false positive, classed "distractor" when
it sits on a labelled distractor and "unlabelled" otherwise.

The articles are split by a hash of their id into a development part and a held-out part (about
a third), so that a rule tuned on the first can be checked on the second; both are printed.

    python bench/wikinews_eval.py            # per article, then dev / held-out / all
    python bench/wikinews_eval.py --misses   # also every miss and false positive
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasts.extract import extract  # noqa: E402

WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews"
EDITORIAL = "wikinews (the article's own voice"  # some gold speakers go on: "...; passive)"
_STOP = {"the", "of", "and", "a", "an", "in", "at", "for", "to", "on", "mr", "mrs", "ms", "dr",
         "collective", "unattributed", "passive", "its", "their"}


def held_out(article_id: str) -> bool:
    """About a third of the articles, chosen by a hash of the id (stable across runs)."""
    return int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % 3 == 0


def _tokens(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in _STOP and
            len(w) > 1}


def speaker_agrees(draft: dict, claim: dict) -> bool:
    """The draft names the claim's speaker: the article's own voice for an editorial claim, else
    a shared significant word with the gold speaker (or a speaker the notes accept)."""
    gold = claim["speaker"].lower()
    accepted = re.search(r"acceptable speakers?:([^.]*)", claim.get("notes") or "", re.I)
    if draft["attribution"] == "editorial":
        return gold.startswith(EDITORIAL) or bool(accepted and "@editorial" in accepted[1])
    words = _tokens(draft["speaker"]) | _tokens(draft.get("role") if draft["speaker"] is None
                                                else None)
    return bool(words & (_tokens(gold) | _tokens(accepted[1] if accepted else "")))


def pair(drafts: list[dict], claims: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs (draft, claim): each claim takes the unused draft whose cue is inside its
    span, nearest the span's start; narrower claims choose first."""
    pairs, used = [], set()
    for claim in sorted(claims, key=lambda c: c["char_end"] - c["char_start"]):
        inside = [d for d in drafts if id(d) not in used and
                  claim["char_start"] <= d["cue_start"] < claim["char_end"]]
        if inside:
            best = min(inside, key=lambda d: abs(d["cue_start"] - claim["char_start"]))
            used.add(id(best))
            pairs.append((best, claim))
    return pairs


def evaluate(article: dict, gold: dict) -> dict:
    result = extract(article["text"], date=gold.get("assumed_article_date"))
    drafts, claims = result["drafts"], gold["claims"]
    pairs = pair(drafts, claims)
    matched = {id(d) for d, _ in pairs}
    optional = [(x["char_start"], x["char_end"]) for x in gold.get("excluded") or []
                if "char_start" in x]
    distractors = [(x["char_start"], x["char_end"]) for x in gold["non_forecast_distractors"]]
    false_positives = []
    for d in drafts:
        if id(d) in matched or any(a <= d["cue_start"] < b for a, b in optional):
            continue
        kind = "distractor" if any(a <= d["cue_start"] < b for a, b in distractors) else \
            "unlabelled"
        false_positives.append((kind, d))
    valued = [(d, c) for d, c in pairs if c.get("default_table_value") is not None]
    paired_claims = {id(c) for _, c in pairs}
    return {
        "claims": len(claims), "drafts": len(drafts), "matched": len(pairs),
        "fp": false_positives,
        "misses": [c for c in claims if id(c) not in paired_claims],
        "speaker": sum(speaker_agrees(d, c) for d, c in pairs),
        "valued": len(valued),
        "prob": sum(d["probability"] is not None and
                    abs(d["probability"] - c["default_table_value"]) <= 0.05 for d, c in valued),
        "date": sum(d["resolves"] == c.get("resolution_date") for d, c in pairs),
        "pairs": pairs,
        "skipped": result["skipped"],
    }


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "  - "


def line(label: str, rows: list[dict]) -> str:
    total = {k: sum(r[k] for r in rows) for k in ("claims", "drafts", "matched", "speaker",
                                                  "valued", "prob", "date")}
    fp = sum(len(r["fp"]) for r in rows)
    m = total["matched"]
    return (f"{label:<28}{total['claims']:>6}{total['drafts']:>7}"
            f"{_share(m, total['claims']):>8}{_share(m, m + fp):>10}"
            f"{_share(total['speaker'], m):>9}{_share(total['prob'], total['valued']):>7}"
            f"{_share(total['date'], m):>7}{fp:>5}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list misses and false positives")
    parser.add_argument("--part", choices=("dev", "held-out", "all"), default="dev",
                        help="whose misses --misses lists (default: the development part only, "
                             "so that rules are not tuned on the held-out part)")
    args = parser.parse_args()
    if not (WIKINEWS / "gold").is_dir():
        print(f"no Wikinews gold set at {WIKINEWS}", file=sys.stderr)
        return 2
    articles = {}
    with open(WIKINEWS / "articles.jsonl", encoding="utf-8") as lines:
        for text in lines:
            record = json.loads(text)
            articles[record["id"]] = record
    started = time.perf_counter()
    rows = {}
    for path in sorted((WIKINEWS / "gold").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        rows[gold["article_id"]] = evaluate(articles[gold["article_id"]], gold)
    seconds = time.perf_counter() - started
    print("forecasts extract against the Wikinews gold set")
    print(f"{'article':<28}{'claims':>6}{'drafts':>7}{'recall':>8}{'precision':>10}"
          f"{'speaker':>9}{'prob':>7}{'date':>7}{'FP':>5}")
    for article_id, row in rows.items():
        print(line(article_id + (" (held out)" if held_out(article_id) else ""), [row]))
    dev = [r for a, r in rows.items() if not held_out(a)]
    rest = [r for a, r in rows.items() if held_out(a)]
    print(line(f"ALL development ({len(dev)})", dev))
    print(line(f"ALL held out ({len(rest)})", rest))
    print(line(f"ALL ({len(rows)})", list(rows.values())))
    print(f"\n{seconds:.1f} s. recall = matched/claims; precision = matched/(matched + FP); "
          "speaker and date (exact) are shares of the matched claims, prob (within 0.05 of the "
          "default table value) of the matched claims that have one; drafts on optional spans "
          "are not counted.")
    if args.misses:
        for article_id, row in rows.items():
            if args.part != "all" and held_out(article_id) != (args.part == "held-out"):
                continue
            text = articles[article_id]["text"]
            for claim in row["misses"]:
                why = [f"{x['cue']!r}: {x['reason']}" for x in row["skipped"]
                       if claim["char_start"] <= x["start"] < claim["char_end"]]
                print(f"MISS {article_id} {claim['id']}: {claim['quote_span'][:160]!r}"
                      f" [{'; '.join(why) or 'no cue found'}]")
            for kind, d in row["fp"]:
                print(f"FP ({kind}) {article_id}: {d['cue']!r} in "
                      f"{text[d['start']:d['end']][:160]!r}")
            for d, c in row["pairs"]:
                if not speaker_agrees(d, c):
                    print(f"SPEAKER {article_id} {c['id']}: {d['speaker']!r} "
                          f"({d['attribution']}) for {c['speaker']!r}")
            for d, c in row["pairs"]:
                if d["resolves"] != c.get("resolution_date"):
                    print(f"DATE {article_id} {c['id']}: {d['resolves']} ({d['horizon']!r}) for "
                          f"{c.get('resolution_date')} ({c.get('time_horizon_text')!r})")
            for d, c in row["pairs"]:
                value = c.get("default_table_value")
                if value is not None and (d["probability"] is None or
                                          abs(d["probability"] - value) > 0.05):
                    print(f"PROB {article_id} {c['id']}: {d['probability']} ({d['cue']!r}) for "
                          f"{value} ({c.get('default_table_rule')!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
