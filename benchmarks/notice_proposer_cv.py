"""Would a learned proposer raise the notice checker's recall? (issue 16 item 3, round 3)

Per item, a linear model over word uni/bigrams and in-word character 4-grams (naive-Bayes log-count
ratios, a linear scorer that trains in one pass) proposes sentences the patterns missed. Positives: the
sentences holding a labelled evidence quote; negatives: every sentence of notices labelled absent for the
item (never sentences of notices where it is present: they may be unlabelled positives). The threshold
is high: above every training negative's score (no false proposal on the training folds), plus a margin.

Leave-one-set-out over the labelled sets (dev, heldout, tuning, heldout2, heldout3; never heldout4):
train on four, score documents of the fifth, patterns alone vs patterns OR proposer. Strict labels.

    python benchmarks/notice_proposer_cv.py [--margin 0.0]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from notice_accuracy import SETS, labelled_notices  # noqa: E402

from privacyscan.notice import assess_notice_text  # noqa: E402
from privacyscan.notice.model import ItemStatus  # noqa: E402
from privacyscan.notice.text import sentences  # noqa: E402

FOLDS = ("dev", "heldout", "tuning", "heldout2", "heldout3")
_WORD = re.compile(r"\w+")


def features(sentence: str) -> set[str]:
    words = _WORD.findall(sentence.lower())
    found = {"w:" + w for w in words} | {"b:" + a + " " + b for a, b in zip(words, words[1:], strict=False)}
    for w in words:
        padded = f"<{w}>"
        found.update("c:" + padded[k : k + 4] for k in range(max(1, len(padded) - 3)))
    return found


def load() -> list[dict]:
    notices = []
    for fold in FOLDS:
        for name, cells, text in labelled_notices(SETS[fold]):
            assessment = assess_notice_text(text, url=name)
            predicted = {i.number: i.status is ItemStatus.present for i in assessment.items}
            split = sentences(text)
            notices.append(
                {
                    "fold": fold,
                    "name": f"{fold}/{name}",
                    "sentences": split,
                    "features": [features(s) for s in split],
                    "gold": {int(k): bool(v["present"]) for k, v in cells.items()},
                    "evidence": {int(k): v.get("evidence") or "" for k, v in cells.items()},
                    "patterns": predicted,
                }
            )
    return notices


def _evidence_sentences(notice: dict, item: int) -> list[int]:
    evidence = " ".join(notice["evidence"][item].split())
    if not evidence:
        return []
    probe = evidence[:60].lower()
    hits = []
    for i, sentence in enumerate(notice["sentences"]):
        flat = " ".join(sentence.split()).lower()
        if probe in flat or (len(flat) > 20 and flat in evidence.lower()):
            hits.append(i)
    return hits


def train(notices: list[dict], item: int) -> tuple[dict[str, float], float, float]:
    positive: Counter[str] = Counter()
    negative: Counter[str] = Counter()
    n_pos = n_neg = 0
    negatives: list[set[str]] = []
    for notice in notices:
        if notice["gold"][item]:
            for i in _evidence_sentences(notice, item):
                positive.update(notice["features"][i])
                n_pos += 1
        else:
            for f in notice["features"]:
                negative.update(f)
                negatives.append(f)
                n_neg += 1
    if n_pos == 0:
        return {}, math.inf, 0.0
    vocabulary = set(positive) | set(negative)
    weights = {
        f: math.log((positive[f] + 1) / (n_pos + 2)) - math.log((negative[f] + 1) / (n_neg + 2)) for f in vocabulary
    }
    bias = math.log(n_pos / max(n_neg, 1))
    worst_negative = max((score(weights, bias, f) for f in negatives), default=-math.inf)
    return weights, bias, worst_negative


def score(weights: dict[str, float], bias: float, feats: set[str]) -> float:
    return bias + sum(weights.get(f, 0.0) for f in feats) / math.sqrt(max(len(feats), 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--margin", type=float, default=0.0, help="added to the highest training-negative score")
    args = parser.parse_args(argv)
    notices = load()
    per_fold: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: {"patterns": Counter(), "combined": Counter()})
    per_item: dict[int, dict[str, Counter[str]]] = defaultdict(lambda: {"patterns": Counter(), "combined": Counter()})
    proposals: list[str] = []
    for fold in FOLDS:
        training = [n for n in notices if n["fold"] != fold]
        testing = [n for n in notices if n["fold"] == fold]
        for item in range(1, 14):
            weights, bias, threshold = train(training, item)
            threshold += args.margin
            for notice in testing:
                gold = notice["gold"][item]
                by_patterns = notice["patterns"][item]
                best = max(
                    ((score(weights, bias, f), i) for i, f in enumerate(notice["features"])), default=(-math.inf, -1)
                )
                proposed = not by_patterns and best[0] > threshold
                if proposed:
                    proposals.append(
                        f"{'TP' if gold else 'FP'} {notice['name']} item {item}: {notice['sentences'][best[1]][:120]!r}"
                    )
                for tallies in (per_fold[fold], per_item[item], per_fold["ALL"]):
                    for kind, predicted in (("patterns", by_patterns), ("combined", by_patterns or proposed)):
                        key = ("tp" if predicted else "fn") if gold else ("fp" if predicted else "tn")
                        tallies[kind][key] += 1

    def pr(c: Counter[str]) -> str:
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        return f"P {p:.3f} R {r:.3f} (tp {c['tp']} fp {c['fp']} fn {c['fn']})"

    print(f"leave-one-set-out, {len(notices)} notices, margin {args.margin}")
    for fold in (*FOLDS, "ALL"):
        print(f"{fold:<9} patterns {pr(per_fold[fold]['patterns'])}   patterns|proposer {pr(per_fold[fold]['combined'])}")
    print()
    for item in range(1, 14):
        print(f"item {item:>2} patterns {pr(per_item[item]['patterns'])}   patterns|proposer {pr(per_item[item]['combined'])}")
    print("\nproposals (held-out fold):")
    for line in proposals:
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
