"""How well the privacy-notice item checker agrees with hand labels, per item and per language.

Scores whole documents (an item is present or not per notice) on each labelled set separately:
- dev: the development set the patterns were written on (not part of the project), from
  ../shared/data/privacy-notices relative to the repository root;
- heldout: the first held-out set, labelled before the checker was run on it; its errors were then used
  to fix the checker, so it is no longer blind. The texts come from public
  repositories and are not committed here (workplace rule: gathered data lives under the steering repo's
  shared/): the set is read from $PRIVACYSCAN_NOTICE_HELDOUT, else ../shared/data/privacy-notices-heldout,
  else /work/notice-heldout/heldout (where it was gathered);
- tuning: extra notices that may be looked at while tuning, found the same way (.../tuning);
- heldout2: a fresh held-out set gathered after the first one had been used for tuning (.../heldout2);
  scored once blind, then tuned on (round 2 of issue 16 item 3);
- heldout3: a third fresh set (.../heldout3), scored once blind after round 2, then tuned on (round 3);
- heldout4: a fourth fresh set (.../heldout4), run once by the lead at the end: these are the figures
  that count.
Borderline cells (label note starting 'borderline') are scored twice: strictly as labelled, and
tolerantly, where either answer counts as right.

    python benchmarks/notice_accuracy.py [--set dev|heldout|tuning|heldout2|heldout3|heldout4]... [--path DIR] [--details]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from privacyscan.notice import assess_notice_text  # noqa: E402
from privacyscan.notice.model import ItemStatus  # noqa: E402
from privacyscan.notice.text import main_text  # noqa: E402


def _gathered(split: str) -> Path:
    configured = os.environ.get("PRIVACYSCAN_NOTICE_HELDOUT", "").strip()
    candidates = [Path(configured) / split] if configured else []
    candidates += [REPO_ROOT.parent / "shared" / "data" / "privacy-notices-heldout" / split,
                   Path("/work/notice-heldout") / split]
    return next((c for c in candidates if c.is_dir()), candidates[0])


SETS = {
    "dev": REPO_ROOT.parent / "shared" / "data" / "privacy-notices",
    "heldout": _gathered("heldout"),
    "tuning": _gathered("tuning"),
    "heldout2": _gathered("heldout2"),
    "heldout3": _gathered("heldout3"),
    "heldout4": _gathered("heldout4"),
}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, gold: bool, predicted: bool, label: str) -> None:
        if gold and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.errors.append(f"FP {label}")
        elif gold:
            self.fn += 1
            self.errors.append(f"FN {label}")
        else:
            self.tn += 1

    def scores(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def _row(name: str, strict: Tally, tolerant: Tally) -> str:
    ps, rs, fs = strict.scores()
    pt, rt, ft = tolerant.scores()
    support = strict.tp + strict.fn
    return (
        f"{name:<34} {support:>4}  {ps:5.2f} {rs:5.2f} {fs:5.2f}   {pt:5.2f} {rt:5.2f} {ft:5.2f}"
        f"   {strict.tp:>3} {strict.fp:>3} {strict.fn:>3}"
    )


def labelled_notices(path: Path) -> Iterator[tuple[str, dict[str, dict], str]]:
    """Each notice of a labelled set in name order: its file name, its label cells by item number and its
    text (the main text of an HTML file)."""
    labels = json.loads((path / "labels.json").read_text(encoding="utf-8"))
    for name, cells in sorted(labels.items()):
        raw = (path / name).read_text(encoding="utf-8")
        yield name, cells, main_text(raw) if name.endswith(".html") else raw


def score(path: Path, details: bool) -> None:
    """Print the per-item, per-language and overall table for one labelled set."""
    by_item: dict[int, tuple[Tally, Tally]] = defaultdict(lambda: (Tally(), Tally()))
    by_language: dict[str, tuple[Tally, Tally]] = defaultdict(lambda: (Tally(), Tally()))
    overall = (Tally(), Tally())
    seconds = 0.0
    titles: dict[int, str] = {}
    count = 0
    for name, cells, text in labelled_notices(path):
        count += 1
        started = time.perf_counter()
        assessment = assess_notice_text(text, url=name)
        seconds += time.perf_counter() - started
        language = name.split("/")[0]
        for item in assessment.items:
            titles[item.number] = item.key
            cell = cells[str(item.number)]
            gold = bool(cell["present"])
            predicted = item.status is ItemStatus.present
            borderline = (cell.get("note") or "").startswith("borderline")
            label = f"{name} item {item.number}" + (" (borderline)" if borderline else "")
            if details and gold != predicted:
                label += f"\n      quotes: {item.quotes[:2]}\n      gold: {cell.get('evidence')!r:.200}"
            for strict, tolerant in (by_item[item.number], by_language[language], overall):
                strict.add(gold, predicted, label)
                tolerant.add(predicted if borderline else gold, predicted, label)

    header = f"{'':<34} {'pos':>4}  {'strict P/R/F1':<17}   {'borderline-tolerant':<17}   {'tp':>3} {'fp':>3} {'fn':>3}"
    print(header)
    for number in sorted(by_item):
        print(_row(f"{number:>2} {titles[number]}", *by_item[number]))
    print()
    for language in ("no", "en", "sv", "da", "de"):
        if language in by_language:
            print(_row(f"lang {language}", *by_language[language]))
    print()
    print(_row("all items, all notices", *overall))
    print(
        f"\n{count} notices assessed in {seconds:.2f} s ({seconds / count * 1000:.0f} ms per notice)"
    )
    if details:
        print("\nDisagreements (strict):")
        for error in overall[0].errors:
            print("  " + error)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        choices=sorted(SETS),
        help="labelled set(s) to score (default: dev and heldout)",
    )
    parser.add_argument("--path", type=Path, help="score this labelled folder instead of a named set")
    parser.add_argument("--details", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    targets = (
        [(str(args.path), args.path)]
        if args.path
        else [(name, SETS[name]) for name in args.sets or ("dev", "heldout")]
    )
    for name, path in targets:
        if not (path / "labels.json").is_file():
            print(f"== {name}: no labels.json in {path}, skipped\n")
            continue
        print(f"== {name} ({path})")
        score(path, args.details)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
