"""The CI gate: a policy file (`privacyscan.toml`), a baseline, and the one decision computed from a report,
the policy and the baseline. The exit code, SARIF, JUnit and the Markdown summary all read the same
`GateDecision`; none of them judges a finding on its own.

A finding is judged in this order (the first that applies wins, and its reason is recorded):

1. its rule is disabled in the policy (with the policy's reason)           -> `disabled`
2. an acceptance in the policy covers it and has not expired               -> `accepted`
3. it is below the threshold (severity, or confidence)                     -> `below_threshold`
4. an acceptance covered it but expired (it fails again, whatever the baseline says) -> `failed`
5. the baseline lists its id                                               -> `baselined`
6. otherwise                                                               -> `failed`

Policy errors are one line naming the file, the line and the key (`PolicyError`); the CLI exits 2 on them.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .models import Confidence, Finding, Severity
from .rules import rule_registry

POLICY_FILE = "privacyscan.toml"
DEFAULT_BASELINE = "privacyscan-baseline.json"
BASELINE_VERSION = 1

# Rules whose subject is a recipient (an organisation or a host): an acceptance applies to these unless it
# names its own list.
RECIPIENT_RULES = ("tracking_before_consent", "reject_not_honoured", "third_country_transfer",
                   "third_party_form_post", "unknown_recipient")


class PolicyError(Exception):
    """An invalid policy or baseline file; the message is one line: `FILE:LINE: KEY: what is wrong`."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GateSettings(_Strict):
    fail_on: Severity | Literal["never"] = Field(
        default=Severity.high, description="fail on findings of this severity or worse ('never': report only)")
    min_confidence: Confidence = Field(
        default=Confidence.high, description="findings below this confidence never fail the gate")
    baseline: str | None = Field(default=None, description="baseline file, relative to the policy file")


class RuleOverride(_Strict):
    disabled: bool = False
    reason: str | None = Field(default=None, description="why the rule is disabled (required when it is)")
    severity: Severity | None = Field(default=None, description="judge this rule's findings at this severity")
    min_confidence: Confidence | None = None

    @field_validator("reason")
    @classmethod
    def _reason_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be blank")
        return value

    @model_validator(mode="after")
    def _disabled_has_reason(self) -> RuleOverride:
        if self.disabled and not self.reason:
            raise ValueError("a disabled rule needs a reason")
        return self


class Acceptance(_Strict):
    """A recipient the organisation has decided to accept (a contract, a necessary service), until a date."""

    recipient: str = Field(min_length=1, description="organisation name or host (a host covers its subdomains)")
    justification: str = Field(min_length=1)
    until: date = Field(description="the acceptance expires after this day; the findings then fail again")
    rules: tuple[str, ...] = Field(default=RECIPIENT_RULES, description="rules it applies to")


class SarifSettings(_Strict):
    """Where SARIF results point in the repository. GitHub code scanning only takes locations that are
    repository-relative files; a web finding has none, so it points at `artifact` (the policy file by
    default) unless `sources` maps the page's path (a regex) to the template that renders it."""

    artifact: str = POLICY_FILE
    sources: dict[str, str] = Field(default_factory=dict, description="page path regex -> repository file")

    @field_validator("sources")
    @classmethod
    def _regexes(cls, value: dict[str, str]) -> dict[str, str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regex {pattern!r}: {exc}") from None
        return value


class Policy(_Strict):
    gate: GateSettings = Field(default_factory=GateSettings)
    rules: dict[str, RuleOverride] = Field(default_factory=dict)
    accept: tuple[Acceptance, ...] = ()
    sarif: SarifSettings = Field(default_factory=SarifSettings)
    source: str | None = Field(default=None, description="the file it was read from (None: built in)")

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: dict[str, RuleOverride]) -> dict[str, RuleOverride]:
        unknown = [rule_id for rule_id in value if rule_id not in rule_registry()]
        if unknown:
            raise ValueError(f"unknown rule {unknown[0]!r}")
        return value

    @classmethod
    def never(cls) -> Policy:
        """No policy and no --fail-on: the gate reports, it never fails."""
        return cls(gate=GateSettings(fail_on="never"))

    def with_fail_on(self, fail_on: str) -> Policy:
        """`--fail-on SEVERITY` is shorthand for the policy's threshold, so the two gates are one."""
        value: Severity | Literal["never"] = "never" if fail_on == "never" else Severity(fail_on)
        return self.model_copy(update={"gate": self.gate.model_copy(update={"fail_on": value})})

    def baseline_path(self) -> Path | None:
        if not self.gate.baseline:
            return None
        base = Path(self.source).parent if self.source else Path.cwd()
        return base / self.gate.baseline


# ------------------------------------------------------------------------------------------ loading


def find_policy(explicit: str | None, cwd: Path | None = None) -> Path | None:
    """`--policy FILE`, else `privacyscan.toml` in the working directory, else none."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise PolicyError(f"{explicit}: no such policy file")
        return path
    candidate = (cwd or Path.cwd()) / POLICY_FILE
    return candidate if candidate.is_file() else None


def load_policy(path: Path) -> Policy:
    text = path.read_text(encoding="utf-8")
    return parse_policy(text, str(path))


def parse_policy(text: str, name: str = POLICY_FILE) -> Policy:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "... (at line L, column C)"; put the line first like every other policy error.
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"{name}:{match.group(1)}" if match else name
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        key = _key_on_line(text, int(match.group(1))) if match else None
        raise PolicyError(f"{where}: {key + ': ' if key else ''}invalid TOML: {detail}") from None
    try:
        return Policy.model_validate({**raw, "source": name})
    except ValidationError as exc:
        error = exc.errors()[0]
        # a union (a severity or "never") adds its member's tag to the location: not a key of the file
        loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and "[" in part))
        key = ".".join(str(part) for part in loc) or "(top level)"
        line = _line_of(text, loc)
        message = error["msg"].removeprefix("Value error, ")
        if len(loc) < len(error["loc"]):
            message = f"invalid value {error.get('input')!r}"
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        raise PolicyError(f"{name}:{line}: {key}: {message}") from None


_TABLE = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def _key_on_line(text: str, line: int) -> str | None:
    lines = text.splitlines()
    if 1 <= line <= len(lines):
        match = _KEY.match(lines[line - 1])
        if match:
            return match.group(1).strip("\"'")
    return None


def _line_of(text: str, loc: tuple) -> int:
    """The line of the key a validation error names (tomllib keeps no positions): walk the tables, count
    array-of-tables entries, and return the line of the deepest part of `loc` that is found."""
    parts = [str(p) for p in loc]
    best = 1
    table: list[str] = []
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            names = [n.strip().strip("\"'") for n in header.group(2).split(".")]
            if header.group(1) == "[[":
                joined = ".".join(names)
                counts[joined] = counts.get(joined, -1) + 1
                names = [*names, str(counts[joined])]
            table = names
            if parts[: len(table)] == table or table[: len(parts)] == parts:
                best = number
            continue
        key = _KEY.match(line)
        if not key:
            continue
        full = [*table, *[k.strip().strip("\"'") for k in key.group(1).split(".")]]
        if parts[: len(full)] == full:
            best = number
            if len(full) >= len(parts):
                return number
    return best


EXAMPLE_POLICY = f'''# privacyscan.toml: what fails the privacyscan gate in this repository.
# Reviewed like code: a change here changes what blocks a deploy.

[gate]
# Fail on findings of this severity or worse: info, low, medium, high, critical, or "never".
fail_on = "high"
# Findings below this confidence never fail the gate (wording-only findings are medium or low).
min_confidence = "high"
# Fail only on findings that are not in this baseline (write it with `privacyscan baseline write REPORT`).
# baseline = "{DEFAULT_BASELINE}"

# A rule you do not want to gate on, with the reason (shown in the gate's output).
# [rules.unclassified_cookie]
# disabled = true
# reason = "informational; reviewed in the quarterly audit"

# A rule judged at another severity or confidence.
# [rules.cookie_lifetime_excessive]
# severity = "medium"
# min_confidence = "medium"

# A recipient the organisation has a contract with. It stops failing the gate until the day after
# `until`; then its findings fail again, and the gate says the acceptance expired.
# [[accept]]
# recipient = "Stripe"                  # organisation name, or a host (covers its subdomains)
# justification = "payment, necessary; DPA signed 2025-03-01"
# until = 2027-06-30
# rules = ["third_country_transfer"]    # optional; default: every rule about a recipient

# Where SARIF results point in the repository (GitHub code scanning needs a repository file).
[sarif]
artifact = "{POLICY_FILE}"
# [sarif.sources]                       # page path (regex) -> the template that renders it
# "^/checkout" = "templates/checkout.html"
'''


# ------------------------------------------------------------------------------------------ baseline


class BaselineEntry(_Strict):
    id: str
    rule_id: str
    subject: str = ""
    severity: Severity
    title: str = ""


class Baseline(_Strict):
    version: int = BASELINE_VERSION
    site_url: str = ""
    scan_id: str = ""
    written_at: datetime | None = None
    findings: tuple[BaselineEntry, ...] = ()

    @property
    def ids(self) -> set[str]:
        return {entry.id for entry in self.findings}

    @classmethod
    def of(cls, report_site_url: str, scan_id: str, findings: list[Finding]) -> Baseline:
        entries = sorted({f.id: BaselineEntry(id=f.id, rule_id=f.rule_id, subject=f.subject, severity=f.severity,
                                              title=f.title) for f in findings}.values(), key=lambda e: e.id)
        return cls(site_url=report_site_url, scan_id=scan_id, written_at=datetime.now(UTC), findings=tuple(entries))

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def load_baseline(path: Path) -> Baseline:
    try:
        return Baseline.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{path}: baseline file not found (write it with `privacyscan baseline write REPORT`)") \
            from None
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(p) for p in error["loc"])
        raise PolicyError(f"{path}: {key or '(top level)'}: not a privacyscan baseline ({error['msg']})") from None


# ------------------------------------------------------------------------------------------ decision


class Outcome(StrEnum):
    failed = "failed"
    below_threshold = "below_threshold"
    disabled = "disabled"
    accepted = "accepted"
    baselined = "baselined"


class FindingVerdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding_id: str
    rule_id: str
    subject: str
    title: str
    severity: Severity = Field(description="the severity the gate judged (a rule override may change it)")
    confidence: Confidence
    outcome: Outcome
    reason: str
    acceptance_expired: bool = False

    @property
    def fails(self) -> bool:
        return self.outcome is Outcome.failed

    def line(self) -> str:
        return (f"{self.outcome.value.upper():<15} {self.rule_id}  {self.subject or self.title}  "
                f"[{self.severity.value}, {self.confidence.value} confidence]  {self.reason}")


class GateDecision(BaseModel):
    """What the gate decided about one report: read by the exit code, SARIF, JUnit and the summaries."""

    model_config = ConfigDict(extra="forbid")

    passed: bool
    looked: bool = Field(description="False: the scan could not look at the site, so there is no verdict")
    fail_on: str
    min_confidence: Confidence
    policy: str | None = Field(description="the policy file, or None for the built-in policy")
    baseline: str | None = None
    verdicts: list[FindingVerdict] = Field(default_factory=list)
    fixed: list[BaselineEntry] = Field(default_factory=list, description="baselined findings no longer found")
    sarif: SarifSettings = Field(default_factory=SarifSettings)

    @property
    def failures(self) -> list[FindingVerdict]:
        return [v for v in self.verdicts if v.fails]

    def verdict(self, finding_id: str) -> FindingVerdict | None:
        return next((v for v in self.verdicts if v.finding_id == finding_id), None)

    @property
    def reasons(self) -> list[str]:
        """For the Markdown summary: the verdict line, then each failure, expired acceptance and fix."""
        lines = [self.summary_line()]
        lines += [v.line() for v in self.verdicts if v.fails or v.acceptance_expired]
        lines += [f"FIXED {e.rule_id}  {e.subject or e.title} (in the baseline, no longer found)" for e in self.fixed]
        return lines

    def summary_line(self) -> str:
        counts = {o: sum(1 for v in self.verdicts if v.outcome is o) for o in Outcome}
        parts = [f"{n} {o.value.replace('_', ' ')}" for o, n in counts.items() if n]
        if self.fixed:
            parts.append(f"{len(self.fixed)} fixed since the baseline")
        verdict = "PASSED" if self.passed else "FAILED"
        threshold = f"fail on {self.fail_on}" + ("" if self.fail_on == "never" else
                                                f" at {self.min_confidence.value} confidence or more")
        return f"gate {verdict} ({threshold}): " + (", ".join(parts) or "no findings")


def decide(findings: list[Finding], policy: Policy, baseline: Baseline | None = None, *, looked: bool = True,
           today: date | None = None, baseline_name: str | None = None) -> GateDecision:
    today = today or datetime.now(UTC).date()
    verdicts = [_judge(f, policy, baseline, today) for f in findings]
    found = {f.id for f in findings}
    fixed = [entry for entry in baseline.findings if entry.id not in found] if baseline and looked else []
    return GateDecision(
        passed=not any(v.fails for v in verdicts), looked=looked, fail_on=str(policy.gate.fail_on),
        min_confidence=policy.gate.min_confidence, policy=policy.source, baseline=baseline_name,
        verdicts=verdicts, fixed=fixed, sarif=policy.sarif,
    )


def decide_report(report, policy: Policy, baseline: Baseline | None = None, *, today: date | None = None,
                  baseline_name: str | None = None) -> GateDecision:
    """The gate of a `ScanReport` (typed loosely: the report model sits above this module)."""
    return decide(report.findings, policy, baseline, looked=report.looked, today=today, baseline_name=baseline_name)


def _judge(finding: Finding, policy: Policy, baseline: Baseline | None, today: date) -> FindingVerdict:
    override = policy.rules.get(finding.rule_id)
    severity = override.severity if override and override.severity else finding.severity
    base = dict(finding_id=finding.id, rule_id=finding.rule_id, subject=finding.subject, title=finding.title,
                severity=severity, confidence=finding.confidence)
    if override and override.disabled:
        return FindingVerdict(**base, outcome=Outcome.disabled, reason=f"rule disabled by the policy: {override.reason}")
    acceptance = _acceptance_for(finding, policy.accept)
    expired_note = ""
    if acceptance is not None:
        if acceptance.until >= today:
            return FindingVerdict(**base, outcome=Outcome.accepted,
                                  reason=f"recipient {acceptance.recipient} accepted until {acceptance.until}: "
                                         f"{acceptance.justification}")
        expired_note = f"the acceptance of {acceptance.recipient} expired on {acceptance.until}"
    fail_on = policy.gate.fail_on
    min_confidence = override.min_confidence if override and override.min_confidence else policy.gate.min_confidence
    if fail_on == "never" or severity.rank < Severity(fail_on).rank:
        reason = "the gate never fails (no threshold)" if fail_on == "never" else f"{severity.value} is below {fail_on}"
        return FindingVerdict(**base, outcome=Outcome.below_threshold,
                              reason=reason + (f"; {expired_note}" if expired_note else ""),
                              acceptance_expired=bool(expired_note))
    if finding.confidence.rank < min_confidence.rank:
        return FindingVerdict(**base, outcome=Outcome.below_threshold,
                              reason=f"{finding.confidence.value} confidence is below {min_confidence.value}"
                                     + (f"; {expired_note}" if expired_note else ""),
                              acceptance_expired=bool(expired_note))
    if expired_note:  # an expired acceptance fails again, whatever the baseline says
        return FindingVerdict(**base, outcome=Outcome.failed, reason=f"{expired_note}: it fails again",
                              acceptance_expired=True)
    if baseline is not None and finding.id in baseline.ids:
        return FindingVerdict(**base, outcome=Outcome.baselined, reason="in the baseline (not new)")
    new = " and not in the baseline" if baseline is not None else ""
    return FindingVerdict(**base, outcome=Outcome.failed,
                          reason=f"{severity.value} at or above {fail_on}, {finding.confidence.value} confidence{new}")


def _acceptance_for(finding: Finding, acceptances: tuple[Acceptance, ...]) -> Acceptance | None:
    """The acceptance covering this finding: the newest-expiring one that names its recipient. A valid
    acceptance wins over an expired one for the same recipient (a renewal)."""
    matching = [a for a in acceptances if finding.rule_id in a.rules and _names_recipient(a.recipient, finding)]
    return max(matching, key=lambda a: a.until, default=None)


def _names_recipient(recipient: str, finding: Finding) -> bool:
    wanted = recipient.strip().lower()
    subject = finding.subject.strip().lower()
    if subject == wanted or subject.endswith(f"-> {wanted}"):
        return True
    if "." in wanted:  # a host: it and its subdomains, in the subject or any evidence URL
        hosts = {subject.rsplit("-> ", 1)[-1]}
        hosts.update((urlsplit(e.url).hostname or "") for e in finding.evidence if e.url)
        return any(h == wanted or h.endswith("." + wanted) for h in hosts if h)
    return False


def load_gate_inputs(policy_option: str | None, fail_on: str | None, baseline_option: str | None = None,
                     cwd: Path | None = None) -> tuple[Policy, Baseline | None, str | None]:
    """The policy and baseline a scan is judged by: `--policy` or ./privacyscan.toml (else none: the gate
    never fails), `--fail-on` over the policy's threshold, `--baseline` over the policy's baseline.
    Raises PolicyError (one line) on any invalid file."""
    path = find_policy(policy_option, cwd)
    policy = load_policy(path) if path else Policy.never()
    if fail_on is not None:
        policy = policy.with_fail_on(fail_on)
    baseline_path = Path(baseline_option) if baseline_option else policy.baseline_path()
    baseline = load_baseline(baseline_path) if baseline_path else None
    return policy, baseline, (str(baseline_path) if baseline_path else None)


def baseline_from_report_json(text: str) -> Baseline:
    data = json.loads(text)
    findings = [Finding.model_validate(f) for f in data.get("findings", [])]
    return Baseline.of(data.get("site_url", ""), data.get("scan_id", ""), findings)
