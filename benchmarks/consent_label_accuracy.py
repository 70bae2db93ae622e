"""Precision and recall of the consent-label classifier on the labelled corpus.

    python benchmarks/consent_label_accuracy.py [corpus.json ...]

A label is a positive when a careful reader would call the control a consent request; the classifier
is right when `read_control(...).kind is ControlKind.consent` agrees. Printed overall and per language,
with every miss, so a change to data/consent_phrases.json can be judged by what it fixes and breaks.
Two corpora by default: consent_labels.json was written by the same people as the phrase file, so its
numbers are in-sample (an upper bound); consent_labels_public.json holds real labels found in public code,
labelled by hand before the classifier saw them and never used to tune the phrases (the fairer number).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from privacyscan.forms.consent_labels import ControlKind, read_control  # noqa: E402
from privacyscan.models import FormControl  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "forms"
DEFAULT_CORPORA = [FIXTURES / "consent_labels.json", FIXTURES / "consent_labels_public.json"]
LANGUAGE_ORDER = ["nb", "nn", "sv", "da", "de", "en"]


@dataclass
class Tally:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    kind_right: int = 0

    @property
    def total(self) -> int:
        return self.true_positive + self.false_positive + self.false_negative + self.true_negative

    @property
    def precision(self) -> float:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0


def control_for(entry: dict) -> FormControl:
    return FormControl(
        tag="input",
        type=entry.get("type", "checkbox"),
        name=entry.get("name"),
        label=entry["label"],
        group_label=entry.get("group_label", ""),
        selector="#benchmark",
    )


def score(corpus: Path) -> tuple[dict[str, Tally], list[str]]:
    entries = json.loads(corpus.read_text(encoding="utf-8"))["labels"]
    tallies: dict[str, Tally] = defaultdict(Tally)
    misses = []
    for entry in entries:
        reading = read_control(control_for(entry))
        expected_consent = entry["kind"] == ControlKind.consent
        predicted_consent = reading.kind is ControlKind.consent
        for key in (entry["lang"], "all"):
            tally = tallies[key]
            if expected_consent and predicted_consent:
                tally.true_positive += 1
            elif predicted_consent:
                tally.false_positive += 1
            elif expected_consent:
                tally.false_negative += 1
            else:
                tally.true_negative += 1
            tally.kind_right += reading.kind.value == entry["kind"]
        if reading.kind.value != entry["kind"]:
            text = entry["label"] or f"(name={entry.get('name')})"
            misses.append(
                f"  [{entry['lang']}] expected {entry['kind']:<16} got {reading.kind.value:<16} {text!r}"
            )
    return tallies, misses


def report(corpus: Path) -> None:
    tallies, misses = score(corpus)
    print(
        f"consent-label classifier on {corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus}"
    )
    print(
        f"{'lang':<5} {'labels':>6} {'pos':>4} {'precision':>9} {'recall':>7} {'kind acc.':>9}   tp fp fn tn"
    )
    others = sorted(k for k in tallies if k not in LANGUAGE_ORDER and k != "all")
    for key in [*(k for k in LANGUAGE_ORDER if k in tallies), *others, "all"]:
        t = tallies[key]
        positives = t.true_positive + t.false_negative
        print(
            f"{key:<5} {t.total:>6} {positives:>4} {t.precision:>9.3f} {t.recall:>7.3f} {t.kind_right / t.total:>9.3f}"
            f"   {t.true_positive} {t.false_positive} {t.false_negative} {t.true_negative}"
        )
    print(f"misclassified ({len(misses)}):" if misses else "misclassified: none")
    for line in misses:
        print(line)


def main(argv: list[str]) -> int:
    corpora = [Path(a) for a in argv[1:]] or DEFAULT_CORPORA
    for index, corpus in enumerate(corpora):
        if index:
            print()
        report(corpus)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
