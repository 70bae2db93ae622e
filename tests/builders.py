"""One set of builders for evidence, classification and reports, shared by the unit tests.

Evidence is hand-made (no browser) but everything after it is real: `classified(evidence)` runs the classify
stage, `report(evidence)` the whole pipeline after the crawl. Trackers are real vendors from the catalogue
(`www.google-analytics.com`, `connect.facebook.net` ...), so a test says which host a page talked to, never
what privacyscan should think of it.

A `Shop` is one scanned site; its builders fill in the site's URL and domain:

    shop = Shop("https://www.butikk.no/")
    ev = shop.evidence(phase(Phase.before_consent, requests=[shop.request("www.google-analytics.com", 800)]))
    findings = tracking_before_consent(classified(ev))

`evidence()` sets each request's and cookie's party from the site's registrable domain, as the crawler does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from privacyscan.check import CheckContext
from privacyscan.classify import classify_evidence
from privacyscan.models import (
    BannerButton,
    BannerRecord,
    BehaviourRecord,
    ConsentAction,
    CookieRecord,
    Evidence,
    FormControl,
    FormRecord,
    PageRecord,
    Party,
    Phase,
    PhaseEvidence,
    RequestRecord,
    StorageItem,
    TcfConsent,
)
from privacyscan.notice import assess_notice_text, observed_recipients
from privacyscan.notice.model import NoticeAssessment
from privacyscan.pipeline import report_from_evidence
from privacyscan.report.model import ScanReport
from privacyscan.urls import host_of, registrable_domain

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def phase(which: Phase = Phase.after_accept, **fields) -> PhaseEvidence:
    """One phase of a scan: pages, requests, cookies, storage, banners, consent_action ... as keywords."""
    return PhaseEvidence(phase=which, started_at=NOW, **fields)


@dataclass(frozen=True)
class Shop:
    """A scanned site: its start URL; its registrable domain is derived."""

    url: str = "https://www.fjordsko.no/"

    @property
    def domain(self) -> str:
        return registrable_domain(host_of(self.url))

    def _party(self, host: str) -> Party:
        return Party.first if registrable_domain(host.lstrip(".")) == self.domain else Party.third

    def page(self, url: str | None = None, *, forms: list[FormRecord] | None = None, **fields) -> PageRecord:
        return PageRecord(url=url or self.url, status=fields.pop("status", 200), forms=forms or [], **fields)

    def request(
        self,
        url: str,
        at: float = 100.0,
        *,
        path: str = "/collect",
        page: str | None = None,
        cookies: list[str] | None = None,
        ids: list[str] | None = None,
        **fields,
    ) -> RequestRecord:
        """A request the page made; `url` may be a bare host (then `https://<host><path>`)."""
        if "://" not in url:
            url = f"https://{url}{path}"
        host = url.split("/")[2]
        return RequestRecord(
            url=url,
            host=host,
            page_url=page or self.url,
            party=self._party(host),
            started_ms=at,
            status=fields.pop("status", 200),
            cookies_sent=cookies or [],
            identifier_params=ids or [],
            **fields,
        )

    def cookie(
        self, name: str, at: float = 200.0, *, domain: str | None = None, days: float | None = 365.0, **fields
    ) -> CookieRecord:
        """A cookie first seen `at` ms into the phase, on the site's own domain unless `domain` says."""
        domain = domain or f".{self.domain}"
        return CookieRecord(
            name=name,
            value=fields.pop("value", "x"),
            domain=domain,
            lifetime_days=days,
            party=self._party(domain),
            first_seen_page=self.url,
            first_seen_ms=at,
            **fields,
        )

    def storage(self, key: str, *, origin: str | None = None, kind: str = "local") -> StorageItem:
        origin = origin or self.url.rstrip("/")
        return StorageItem(kind=kind, origin=origin, key=key, page_url=self.url, party=self._party(host_of(origin)))

    def behaviour(self, kind: str, script: str, detail: str = "", **fields) -> BehaviourRecord:
        """What a script on the home page was seen doing (instrument.js), e.g. a canvas read-back."""
        host = host_of(script)
        return BehaviourRecord(kind=kind, page_url=self.url, script_url=script, script_host=host,
                               party=self._party(host), detail=detail, at_ms=fields.pop("at", 500.0), **fields)

    def sent(self, url: str, field_kind: str, encoding: str, parameter: str | None = None,
             script: str | None = None) -> BehaviourRecord:
        """A request that carried the test value typed into a `field_kind` field, so encoded."""
        from privacyscan.crawl.behaviour import VALUE_OF_KIND

        host = host_of(url)
        return BehaviourRecord(
            kind="value_sent", page_url=self.url, script_url=script, script_host=host_of(script) if script else None,
            party=self._party(host), detail=f"{field_kind} value, {encoding}", at_ms=700.0, request_url=url,
            request_host=host, parameter=parameter, field_kind=field_kind, field_selector=f"#{field_kind}",
            test_value=VALUE_OF_KIND[field_kind].typed, encoding=encoding)

    def evidence(self, *phases: PhaseEvidence) -> Evidence:
        return Evidence(
            site_url=self.url,
            site_id=self.domain.split(".")[0],
            registrable_domain=self.domain,
            scan_id="s1",
            started_at=NOW,
            phases=list(phases),
        )

    def evidence_with(
        self,
        requests: list[RequestRecord],
        cookies: list[CookieRecord] | None = None,
        which: Phase = Phase.after_accept,
    ) -> Evidence:
        """One phase in which the home page loaded and made these requests and set these cookies."""
        return self.evidence(phase(which, pages=[self.page()], requests=requests, cookies=cookies or []))


def classified(evidence: Evidence, notice: NoticeAssessment | None = None) -> CheckContext:
    """What a rule sees after the real classify stage (and, when given, a notice assessment)."""
    return CheckContext(evidence=evidence, classification=classify_evidence(evidence), privacy_notice=notice)


def report(evidence: Evidence) -> ScanReport:
    """The report the pipeline assembles from this evidence (classification, checks, comparison)."""
    return report_from_evidence(evidence)


FJORDSKO = Shop("https://www.fjordsko.no/")
# A Norwegian shop that loads the usual trackers (after "accept all"): US, Russian, Chinese-owned and EEA
# recipients, identifiers in URLs and cookies sent back.
TRACKED_SHOP_REQUESTS = [
    FJORDSKO.request("https://www.fjordsko.no/app.js"),
    FJORDSKO.request("https://www.googletagmanager.com/gtag/js?id=G-ABC123"),
    FJORDSKO.request(
        "https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC123&cid=123456.1700000000", ids=["cid"]
    ),
    FJORDSKO.request("https://connect.facebook.net/en_US/fbevents.js"),
    FJORDSKO.request(
        "https://www.facebook.com/tr/?id=1234&ev=PageView&fbp=fb.1.1700000000000.42",
        cookies=["fr"],
        ids=["fbp"],
    ),
    FJORDSKO.request("https://static.hotjar.com/c/hotjar-123.js?sv=7"),
    FJORDSKO.request("https://in.hotjar.com/api/v2/client/sites/123/visit-data?sv=7"),
    FJORDSKO.request("https://www.clarity.ms/tag/abc"),
    FJORDSKO.request("https://y.clarity.ms/collect", ids=["uid"]),
    FJORDSKO.request("https://snap.licdn.com/li.lms-analytics/insight.min.js"),
    FJORDSKO.request("https://px.ads.linkedin.com/collect?pid=42&fmt=js", cookies=["bcookie"]),
    FJORDSKO.request("https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=ABC"),
    FJORDSKO.request("https://mc.yandex.ru/metrika/tag.js"),
    FJORDSKO.request("https://mc.yandex.ru/watch/987?wmode=7", ids=["_ym_uid"]),
    FJORDSKO.request("https://fonts.googleapis.com/css2?family=Roboto"),
    FJORDSKO.request("https://fonts.gstatic.com/s/roboto/v1/x.woff2"),
    FJORDSKO.request("https://www.youtube.com/embed/demo123"),
    FJORDSKO.request("https://www.google.com/recaptcha/api.js?render=6Lc"),
]
TRACKED_SHOP_COOKIES = [
    FJORDSKO.cookie("_ga", days=730),
    FJORDSKO.cookie("_ga_ABC123", days=730),
    FJORDSKO.cookie("_fbp", days=90),
    FJORDSKO.cookie("fr", domain=".facebook.com", days=90),
    FJORDSKO.cookie("_hjSessionUser_123", days=365),
    FJORDSKO.cookie("_clck", days=365),
    FJORDSKO.cookie("_ttp", days=395),
    FJORDSKO.cookie("_ym_uid", days=365),
    FJORDSKO.cookie("bcookie", domain=".linkedin.com", days=365),
]


# ------------------------------------------------------------------------ violating scans, for every rule

BUTIKK = Shop("https://www.butikk.no/")


def _box(label: str, selector: str, **fields) -> FormControl:
    return FormControl(tag="input", type="checkbox", label=label, selector=selector, **fields)


def _email() -> FormControl:
    return FormControl(tag="input", type="email", name="email", label="E-post", selector="#email")


def violating_forms() -> list[FormRecord]:
    """Forms that break each form rule once: a pre-ticked box, a bundled box, consent that only points to the
    terms, a required marketing box, a post to HubSpot, a login over http and a newsletter sign-up that neither
    asks for consent nor points to the privacy notice."""
    page = BUTIKK.url
    return [
        FormRecord(page_url=page, selector="#nl", action="https://www.butikk.no/nl", method="post",
                   controls=[_email(), _box("Ja, jeg vil motta nyhetsbrev", "#nl-box", checked=True,
                                            checked_attribute=True)]),
        FormRecord(page_url=page, selector="#bundle", action="https://www.butikk.no/b", method="post",
                   controls=[_email(), _box("I accept the terms, the privacy policy and to receive marketing",
                                            "#bundle-box")]),
        FormRecord(page_url=page, selector="#vague", action="https://www.butikk.no/v", method="post",
                   controls=[_email(), _box("Jeg samtykker (se våre vilkår)", "#vague-box")]),
        FormRecord(page_url=page, selector="#download", action="https://www.butikk.no/d", method="post",
                   controls=[_email(),
                             FormControl(tag="input", type="text", name="company", label="Company", selector="#co"),
                             _box("I agree to receive marketing emails from Acme", "#mkt", required=True)]),
        FormRecord(page_url=page, selector="#hubspot", method="post",
                   action="https://api.hsforms.com/submissions/v3/integration/submit/123/abc", controls=[_email()]),
        FormRecord(page_url=page, selector="#login", action="http://www.butikk.no/login", method="post",
                   controls=[FormControl(tag="input", type="password", name="pw", label="Passord", selector="#pw")]),
        FormRecord(page_url=page, selector="#signup", action="https://www.butikk.no/nyhetsbrev", method="post",
                   text="Meld deg på nyhetsbrevet vårt og få tilbud først! Meld meg på", controls=[_email()]),
    ]


def violating_scans() -> list[CheckContext]:
    """Scans that, between them, break every rule privacyscan has (internal_error aside): a shop with an
    accept-only banner that tracks before consent and after "reject all", pre-ticks purposes, implies
    consent, has bad forms, a failed page, a private-network request and a deficient notice; and a shop with
    trackers and no banner at all."""
    banner = BannerRecord(
        page_url=BUTIKK.url, detected_by="heuristic", selector="#banner",
        text="By continuing to browse you accept our cookies.",
        buttons=[BannerButton(text="Godta alle", selector="#accept", role="accept", width=120, height=30)],
        toggles=[_box("Statistikk", "#stat", checked=True)],
    )
    trackers = [BUTIKK.request("www.google-analytics.com", 800, ids=["cid"]),
                BUTIKK.request("mc.yandex.ru", 900, ids=["_ym_uid"]),
                BUTIKK.request("a.mystery-metrics.example", 950, ids=["u"])]
    cookies = [BUTIKK.cookie("_ga", 900, days=730), BUTIKK.cookie("basket_x", 50),
               BUTIKK.cookie("bk_visitor", 60, days=730, value="7f3c9a2e-41d8-4b6f-9c1a-2e5d8f0b6a13")]
    tcf = TcfConsent(tc_string="CQ...", cmp_id=28, purposes_consent=[1], vendor_consents=[755])
    scan = BUTIKK.evidence(
        phase(Phase.before_consent, banners=[banner], requests=[
            *trackers, BUTIKK.request("http://10.0.0.1/x", 10, blocked_reason="private address 10.0.0.1")],
            cookies=cookies, storage=[BUTIKK.storage("_hjSessionUser_1")],
            pages=[BUTIKK.page(forms=violating_forms()), BUTIKK.page("https://www.butikk.no/gone", status=404)]),
        phase(Phase.after_reject, requests=[BUTIKK.request("www.google-analytics.com", 2500)],
              consent_action=ConsentAction(action="reject", succeeded=True, method="click", at_ms=2000, tcf=tcf)),
    )
    notice = assess_notice_text(
        "Vi bruker informasjonskapsler. Kontakt oss på post@butikk.no.", url="https://www.butikk.no/personvern",
        observed_recipients=observed_recipients(classify_evidence(scan)),
    )
    silent = Shop("https://www.stille.no/")
    no_banner = silent.evidence(
        phase(Phase.before_consent, requests=[silent.request("connect.facebook.net", 900)]),
        phase(Phase.after_reject, consent_action=ConsentAction(action="reject", succeeded=False,
                                                              detail="no consent banner found within 12s")),
    )
    return [classified(scan, notice), classified(no_banner, NoticeAssessment(found=False)), behaviour_scan()]


HOTJAR_SCRIPT = "https://static.hotjar.com/c/hotjar-1.js"
CRITEO_SCRIPT = "https://static.criteo.net/js/ld/fp.js"
HASHED_EMAIL = "0" * 8 + "a" * 56  # a SHA-256 hex digest's shape


def behaviour_scan() -> CheckContext:
    """A shop, before any consent, whose scripts record the session (and the typed e-mail with it),
    fingerprint the browser and hand a hashed e-mail to the Meta pixel."""
    shop = Shop("https://www.opptak.no/")
    meta = f"https://www.facebook.com/tr/?id=1&ev=PageView&ud%5Bem%5D={HASHED_EMAIL}"
    requests = [shop.request(HOTJAR_SCRIPT, 100), shop.request("in.hotjar.com", 600, path="/api/batch", method="POST"),
                shop.request(CRITEO_SCRIPT, 120), shop.request(meta, 700)]
    behaviour = [
        shop.behaviour("dom_observer", HOTJAR_SCRIPT, "subtree of the document"),
        shop.behaviour("input_listener", HOTJAR_SCRIPT, "mousemove"),
        shop.behaviour("canvas", CRITEO_SCRIPT, "toDataURL after drawing text"),
        shop.sent("https://in.hotjar.com/api/batch", "email", "plain", "events[3].value", HOTJAR_SCRIPT),
    ]
    return classified(shop.evidence(phase(Phase.before_consent, pages=[shop.page()], requests=requests,
                                          behaviour=behaviour)))
