"""A fanned-out scan without a browser: which jobs a plan makes (one per later phase, or shards of at most N
pages; never an empty shard; cut to what one invocation's later phase visits), how a phase's shards merge
(the first page once, pages in plan order, what each shard gathered on its own pages, every cause), how the
parts assemble into the Evidence one invocation would hold, and the assembly on a store: once, the second
assembler finds the report there, nothing before the last part."""

from __future__ import annotations

import base64
import tempfile
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from privacyscan.crawl.crawler import OnePhaseCrawl
from privacyscan.fanout import (
    FIRST_PART,
    PLAN,
    EvidencePart,
    FanOutPlan,
    PhaseJob,
    ShardPlan,
    assemble_evidence,
    assemble_if_complete,
    fans_out,
    merge_shards,
    part_from_crawl,
    plan_shards,
)
from privacyscan.models import BannerRecord, CauseKind, ConsentAction, Phase
from privacyscan.store import LocalStore
from privacyscan.usecase import RuntimeSettings, ScanRequest, ScanStatus
from tests.builders import NOW, Shop, phase

SHOP = Shop("https://www.fjordsko.no/")
HOME = SHOP.url
A, B, C = (f"{HOME}{name}" for name in ("sko", "stovler", "om-oss"))
LATER = (Phase.after_reject, Phase.after_accept)
ALL = (Phase.before_consent, *LATER)


def parts_of(shards: list[ShardPlan]) -> list[tuple[str, list[str]]]:
    return [(s.part, s.pages) for s in shards]


# ------------------------------------------------------------------------------------------- planning


def test_by_default_each_later_phase_is_one_job_with_every_page_but_the_first() -> None:
    shards = plan_shards(HOME, [HOME, A, B, C], ALL, max_pages=20, shard_pages=0)
    assert parts_of(shards) == [("after_reject", [A, B, C]), ("after_accept", [A, B, C])]
    assert [(s.phase, s.shard) for s in shards] == [(Phase.after_reject, 0), (Phase.after_accept, 0)]


def test_shards_hold_at_most_the_shard_size_in_the_first_phases_order() -> None:
    shards = plan_shards(HOME, [HOME, A, B, C], ALL, max_pages=20, shard_pages=2)
    assert parts_of(shards) == [("after_reject-0", [A, B]), ("after_reject-1", [C]),
                                ("after_accept-0", [A, B]), ("after_accept-1", [C])]


def test_a_page_list_smaller_than_the_shard_size_is_one_shard_named_after_its_phase() -> None:
    assert parts_of(plan_shards(HOME, [HOME, A], ALL, max_pages=20, shard_pages=5)) == [
        ("after_reject", [A]), ("after_accept", [A])]


def test_more_shards_than_pages_are_never_made_and_no_shard_is_empty() -> None:
    shards = plan_shards(HOME, [HOME, A, B], LATER, max_pages=20, shard_pages=1)
    assert parts_of(shards) == [("after_reject-0", [A]), ("after_reject-1", [B]),
                                ("after_accept-0", [A]), ("after_accept-1", [B])]
    assert all(s.pages for s in shards)


@pytest.mark.parametrize("pages", [[], [HOME]], ids=["no page recorded", "only the first page"])
def test_no_page_besides_the_first_still_runs_each_later_phase_on_the_first_page(pages: list[str]) -> None:
    # The job still visits the first page and makes the choice: that is the phase.
    assert parts_of(plan_shards(HOME, pages, ALL, max_pages=20, shard_pages=2)) == [
        ("after_reject", []), ("after_accept", [])]


def test_the_pages_are_cut_to_what_one_invocations_later_phase_visits() -> None:
    # One invocation's later phase with max_pages=4: home, home again after the choice, then two more.
    assert plan_shards(HOME, [HOME, A, B, C], LATER, max_pages=4, shard_pages=0)[0].pages == [A, B]
    assert plan_shards(HOME, [HOME, A, B, C], LATER, max_pages=1, shard_pages=0)[0].pages == []


def test_repeated_pages_and_the_first_page_later_in_the_list_are_not_planned_twice() -> None:
    assert plan_shards(HOME, [HOME, A, A, HOME, B], LATER, max_pages=20, shard_pages=0)[0].pages == [A, B]


def test_a_negative_shard_size_is_refused() -> None:
    with pytest.raises(ValueError, match="pages per shard"):
        plan_shards(HOME, [HOME, A], ALL, max_pages=20, shard_pages=-1)


def test_only_a_scan_that_starts_before_consent_and_has_later_phases_fans_out() -> None:
    assert fans_out(ScanRequest(site_url=HOME))
    assert not fans_out(ScanRequest(site_url=HOME, phases=(Phase.before_consent,)))
    assert not fans_out(ScanRequest(site_url=HOME, phases=(Phase.after_accept, Phase.before_consent)))
    assert plan_shards(HOME, [HOME, A], (Phase.before_consent,), max_pages=20, shard_pages=0) == []


# --------------------------------------------------------------------------------------------- merging


def shard_zero():
    return phase(
        Phase.after_reject,
        pages=[SHOP.page(HOME, started_ms=0), SHOP.page(HOME, started_ms=300), SHOP.page(A, started_ms=600)],
        requests=[SHOP.request("www.googletagmanager.com", 10), SHOP.request("www.google-analytics.com", 650, page=A)],
        cookies=[SHOP.cookie("samtykke", 250), SHOP.cookie("_ga", 20)],
        storage=[SHOP.storage("consent")],
        banners=[BannerRecord(page_url=HOME, detected_by="heuristic", text="Vi bruker informasjonskapsler")],
        consent_action=ConsentAction(action="reject", succeeded=True, method="click", at_ms=250),
        behaviour=[SHOP.behaviour("canvas", "https://cdn.fjordsko.no/fp.js", at=700.0)],
    )


def shard_one():
    ev = phase(
        Phase.after_reject,
        pages=[SHOP.page(HOME, started_ms=0), SHOP.page(HOME, started_ms=280), SHOP.page(B, started_ms=900)],
        # The first page's requests again (before 900), then what page B did.
        requests=[SHOP.request("www.googletagmanager.com", 12), SHOP.request("connect.facebook.net", 950, page=B)],
        cookies=[SHOP.cookie("samtykke", 240), SHOP.cookie("_ga", 22), SHOP.cookie("_fbp", 960).model_copy(update={"first_seen_page": B})],
        storage=[SHOP.storage("consent"), SHOP.storage("_hjSession")],
        banners=[BannerRecord(page_url=HOME, detected_by="heuristic", text="second look at the same banner")],
        consent_action=ConsentAction(action="reject", succeeded=True, method="click", at_ms=230),
        behaviour=[SHOP.behaviour("canvas", "https://cdn.fjordsko.no/fp.js", at=60.0),
                   SHOP.behaviour("dom_observer", "https://static.hotjar.com/c/hotjar-1.js", at=1000.0)],
    )
    ev.add_cause(CauseKind.time_budget, "time budget of 60s ran out after 3 pages")
    return ev


def test_shards_merge_with_the_first_page_once_and_pages_in_plan_order() -> None:
    merged = merge_shards(HOME, [shard_zero(), shard_one()])
    assert [p.url for p in merged.pages] == [HOME, HOME, A, B]  # the one-invocation order: home, again, A, B
    assert [r.host for r in merged.requests] == ["www.googletagmanager.com", "www.google-analytics.com",
                                                 "connect.facebook.net"]
    assert [(c.name, c.first_seen_ms) for c in merged.cookies] == [("samtykke", 250), ("_ga", 20), ("_fbp", 960)]
    assert [s.key for s in merged.storage] == ["consent", "_hjSession"]
    assert [b.kind for b in merged.behaviour] == ["canvas", "dom_observer"]
    # The first shard's look at the banner and its choice are the phase's.
    assert [b.text for b in merged.banners] == ["Vi bruker informasjonskapsler"]
    assert merged.consent_action.at_ms == 250


def test_a_later_shards_causes_are_carried_and_the_phase_is_incomplete() -> None:
    merged = merge_shards(HOME, [shard_zero(), shard_one()])
    assert not merged.complete
    assert [(c.kind, c.detail) for c in merged.causes] == [(CauseKind.time_budget,
                                                            "time budget of 60s ran out after 3 pages")]


def test_merging_leaves_the_shards_as_they_were() -> None:
    first, second = shard_zero(), shard_one()
    merge_shards(HOME, [first, second])
    assert first == shard_zero() and len(first.pages) == 3 and first.complete


def test_a_shard_that_got_no_further_than_the_first_page_adds_only_its_causes() -> None:
    stuck = phase(Phase.after_reject, pages=[SHOP.page(HOME, started_ms=0)],
                  requests=[SHOP.request("www.googletagmanager.com", 5)], cookies=[SHOP.cookie("_ga", 9)])
    stuck.add_cause(CauseKind.time_budget, "time budget of 5s ran out after 1 pages")
    merged = merge_shards(HOME, [shard_zero(), stuck])
    assert [p.url for p in merged.pages] == [HOME, HOME, A]
    assert len(merged.requests) == 2 and [c.name for c in merged.cookies] == ["samtykke", "_ga"]
    assert [c.kind for c in merged.causes] == [CauseKind.time_budget]


# ------------------------------------------------------------------------------------------ assembling


def part(name: str, which: Phase, shard: int, phase_evidence=None, *, causes=(), **fields) -> EvidencePart:
    evidence = SHOP.evidence(*([phase_evidence] if phase_evidence is not None else []))
    for kind, detail in causes:
        evidence.add_cause(kind, detail, which)
    return EvidencePart(part=name, phase=which, shard=shard, evidence=evidence, **fields)


def a_plan(shards: list[ShardPlan], skip_reason: str | None = None, **request) -> FanOutPlan:
    return FanOutPlan(request=ScanRequest(site_url=HOME, **request), site_id="fjordsko", scan_id="s1",
                      started_at=NOW, pages=[HOME, A, B], skip_reason=skip_reason, shards=shards)


def before() -> object:
    return phase(Phase.before_consent, pages=[SHOP.page(HOME), SHOP.page(A), SHOP.page(B)],
                 requests=[SHOP.request("www.google-analytics.com", 300)])


def test_parts_assemble_into_the_phases_of_one_invocation_with_their_causes_in_order() -> None:
    plan = a_plan(plan_shards(HOME, [HOME, A, B], ALL, max_pages=20, shard_pages=1))
    accepted = phase(Phase.after_accept, pages=[SHOP.page(HOME), SHOP.page(HOME), SHOP.page(B, started_ms=900)])
    parts = {
        FIRST_PART: part(FIRST_PART, Phase.before_consent, 0, before()),
        "after_reject-0": part("after_reject-0", Phase.after_reject, 0, shard_zero()),
        "after_reject-1": part("after_reject-1", Phase.after_reject, 1, shard_one(),
                               causes=[(CauseKind.time_budget, "time budget of 60s ran out after 3 pages")]),
        # This job's browser never started: no evidence of its phase, only the cause (as in one invocation).
        "after_accept-0": part("after_accept-0", Phase.after_accept, 0,
                               causes=[(CauseKind.phase_error, "Chromium did not start")]),
        "after_accept-1": part("after_accept-1", Phase.after_accept, 1, accepted),
    }
    evidence = assemble_evidence(plan, parts)
    assert [p.phase for p in evidence.phases] == list(ALL)
    assert [p.url for p in evidence.phase(Phase.after_reject).pages] == [HOME, HOME, A, B]
    assert [p.url for p in evidence.phase(Phase.after_accept).pages] == [HOME, HOME, B]
    assert [(c.kind, c.phase) for c in evidence.causes] == [(CauseKind.time_budget, Phase.after_reject),
                                                            (CauseKind.phase_error, Phase.after_accept)]
    assert not evidence.complete and evidence.started_at == NOW and evidence.scan_id == "s1"


def test_nothing_to_act_on_assembles_the_first_part_with_the_choice_phases_recorded_as_not_run() -> None:
    reason = f"no consent banner and no consent API found on {HOME} before consent"
    evidence = assemble_evidence(a_plan([], skip_reason=reason),
                                 {FIRST_PART: part(FIRST_PART, Phase.before_consent, 0, before())})
    before_, rejected, accepted = evidence.phases
    assert before_.pages and rejected.pages == [] and accepted.pages == []
    assert "the reject phase was not run" in rejected.consent_action.detail
    assert reason in accepted.consent_action.detail and evidence.complete


def test_a_jobs_screenshots_move_into_its_parts_folder_and_the_evidence_names_them_there(tmp_path: Path) -> None:
    shots = tmp_path / "screenshots"
    shots.mkdir()
    (shots / "after_reject-000.jpg").write_bytes(b"\xff\xd8page")
    (shots / "control-0001.jpg").write_bytes(b"\xff\xd8control")
    (tmp_path / ".profiles").mkdir()
    (tmp_path / ".profiles" / "lock").write_bytes(b"browser profile: never a part")
    crawled = phase(Phase.after_reject, pages=[SHOP.page(HOME, screenshot="screenshots/after_reject-000.jpg")])
    crawl = OnePhaseCrawl(evidence=SHOP.evidence(crawled), pages=[])
    job = part_from_crawl("after_reject-1", Phase.after_reject, 1, crawl, tmp_path)
    assert set(job.artefacts) == {"screenshots/after_reject-1/after_reject-000.jpg",
                                  "screenshots/after_reject-1/control-0001.jpg"}
    assert job.evidence.phases[0].pages[0].screenshot == "screenshots/after_reject-1/after_reject-000.jpg"
    assert base64.b64decode(job.artefacts["screenshots/after_reject-1/control-0001.jpg"]) == b"\xff\xd8control"
    first = part_from_crawl(FIRST_PART, Phase.before_consent, 0, crawl, tmp_path)
    assert first.evidence.phases[0].pages[0].screenshot == "screenshots/after_reject-000.jpg"  # names kept


def store_parts(store: LocalStore, plan: FanOutPlan, parts: dict[str, EvidencePart]) -> None:
    store.put_part(plan.site_id, plan.scan_id, PLAN, plan.model_dump_json().encode())
    for name, each in parts.items():
        store.put_part(plan.site_id, plan.scan_id, name, each.model_dump_json().encode())


ESCAPE = f"escaped-{uuid.uuid4().hex}.jpg"


def test_the_report_is_assembled_once_all_parts_are_in_and_a_second_assembler_writes_nothing(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    plan = a_plan(plan_shards(HOME, [HOME, A], ALL, max_pages=20, shard_pages=0), formats=("json", "html"))
    first = part(FIRST_PART, Phase.before_consent, 0, before(),
                 artefacts={"screenshots/before_consent-000.jpg": base64.b64encode(b"\xff\xd8home").decode(),
                            f"../{ESCAPE}": base64.b64encode(b"outside").decode()})
    store_parts(store, plan, {FIRST_PART: first,
                              "after_reject": part("after_reject", Phase.after_reject, 0, shard_zero())})
    settings = RuntimeSettings(store_url=str(tmp_path / "store"), fallback_dir=str(tmp_path / "fallback"))
    assert assemble_if_complete(plan, settings, store, store, chromium=None) is None  # after_accept is missing
    assert not store.has_report("fjordsko", "s1")
    store.put_part("fjordsko", "s1", "after_accept", part("after_accept", Phase.after_accept, 0,
                                                          phase(Phase.after_accept, pages=[SHOP.page()]))
                   .model_dump_json().encode())
    outcome = assemble_if_complete(plan, settings, store, store, chromium=None)
    assert outcome.status is ScanStatus.written and store.has_report("fjordsko", "s1")
    assert [p.phase for p in outcome.report.evidence.phases] == list(ALL)
    scan_folder = tmp_path / "store" / "sites" / "fjordsko" / "scans" / "s1"
    assert (scan_folder / "screenshots" / "before_consent-000.jpg").read_bytes() == b"\xff\xd8home"
    assert (scan_folder / "report.html").exists()
    # A part names files inside its scan folder only: one that points out of it is not written anywhere.
    assert not (Path(tempfile.gettempdir()) / ESCAPE).exists() and not list(tmp_path.rglob(ESCAPE))
    report_bytes = (scan_folder / "report.json").read_bytes()
    again = assemble_if_complete(plan, settings, store, store, chromium=None)
    assert again.status is ScanStatus.duplicate and (scan_folder / "report.json").read_bytes() == report_bytes


def test_two_invocations_assembling_at_once_write_one_report_and_the_other_is_a_quiet_duplicate(
        tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    plan = a_plan(plan_shards(HOME, [HOME, A], ALL, max_pages=20, shard_pages=0), formats=("json", "html", "sarif"))
    store_parts(store, plan, {
        FIRST_PART: part(FIRST_PART, Phase.before_consent, 0, before(), artefacts={
            "screenshots/before_consent-000.jpg": base64.b64encode(b"\xff\xd8home").decode()}),
        "after_reject": part("after_reject", Phase.after_reject, 0, shard_zero()),
        "after_accept": part("after_accept", Phase.after_accept, 0, phase(Phase.after_accept, pages=[SHOP.page()]))})
    settings = RuntimeSettings(store_url=str(tmp_path / "store"), fallback_dir=str(tmp_path / "fallback"))
    start = threading.Barrier(2)

    def assemble():
        start.wait()
        return assemble_if_complete(plan, settings, store, store, chromium=None)

    with ThreadPoolExecutor(2) as pool:
        outcomes = [f.result() for f in [pool.submit(assemble), pool.submit(assemble)]]
    assert sorted(o.status.value for o in outcomes) == ["duplicate", "written"]
    assert not (tmp_path / "fallback").exists()  # the loser wrote nothing anywhere, not even the fallback
    assert store.has_report("fjordsko", "s1")


# ---------------------------------------------------------------------------------- messages, settings

MESSAGE = TypeAdapter(ScanRequest | PhaseJob)


def test_a_scan_message_without_a_kind_is_still_a_scan_request_and_a_phase_job_says_its_kind() -> None:
    old = MESSAGE.validate_json('{"site_url": "https://www.fjordsko.no/", "max_pages": 5}')
    assert isinstance(old, ScanRequest) and old.max_pages == 5
    job = MESSAGE.validate_json('{"kind": "phase_job", "site_id": "fjordsko", "scan_id": "s1", "part": "after_accept"}')
    assert isinstance(job, PhaseJob) and job.part == "after_accept"
    with pytest.raises(ValidationError):  # neither: a job without its part, a request with a job's field
        MESSAGE.validate_json('{"kind": "phase_job", "site_id": "fjordsko", "scan_id": "s1"}')
    with pytest.raises(ValidationError):
        MESSAGE.validate_json('{"site_url": "https://www.fjordsko.no/", "part": "after_accept"}')


def test_fan_out_is_off_unless_switched_on_and_bad_values_are_refused() -> None:
    assert (RuntimeSettings.from_env({}).fan_out, RuntimeSettings.from_env({}).shard_pages) == ("none", 0)
    on = RuntimeSettings.from_env({"PRIVACYSCAN_FANOUT": "phases", "PRIVACYSCAN_SHARD_PAGES": "10"})
    assert (on.fan_out, on.shard_pages) == ("phases", 10)
    for environ in ({"PRIVACYSCAN_FANOUT": "pages"}, {"PRIVACYSCAN_SHARD_PAGES": "-1"},
                    {"PRIVACYSCAN_SHARD_PAGES": "many"}):
        with pytest.raises(ValueError, match="PRIVACYSCAN_"):
            RuntimeSettings.from_env(environ)
