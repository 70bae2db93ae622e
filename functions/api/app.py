"""Sites and scans API behind a function URL (AWS_IAM auth). Each route validates its input into a model
and calls the site service or the queue; the SSRF guard runs before anything is registered or queued.

    POST   /scans                         scan a URL now (queued)             -> 202
    GET    /sites[?label=...]             list sites
    POST   /sites                         add a site (and its schedule)       -> 201
    GET    /sites/<site_id>               a site and its schedule
    PATCH  /sites/<site_id>               change a site (schedule follows)
    DELETE /sites/<site_id>               remove a site and its schedule      -> 204
    GET    /sites/<site_id>/latest        the site's latest report.json
    GET    /sites/<site_id>/scans/<scan>  one scan's report.json
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import LambdaFunctionUrlResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ValidationError

from privacyscan.netguard import NetGuard
from privacyscan.service.api_models import ScanNowBody, SiteBody, SitePatch
from privacyscan.service.compose import ApiServices, compose_api
from privacyscan.service.sites import Site, SiteExists, SiteNotFound
from privacyscan.urls import BadUrl

logger = Logger()
tracer = Tracer()
app = LambdaFunctionUrlResolver()


@functools.cache
def services() -> ApiServices:
    """The adapters, composed once per execution environment, on first use."""
    return compose_api(os.environ)


def _body(model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(app.current_event.json_body or {})
    except (ValidationError, ValueError) as exc:
        raise BadRequestError(_first_error(exc)) from exc


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
    return str(exc).splitlines()[0]


def _guard(url: str, request: dict) -> None:
    """The SSRF guard: private, loopback and link-local targets are refused unless this stack allows them;
    host mappings could point any name anywhere, so they are refused too."""
    allow = services().settings.allow_private_network
    if request.get("resolve") and not allow:
        raise BadRequestError("request.resolve: host mappings are not accepted by this API")
    reason = NetGuard((), allow).refusal(url)
    if reason:
        raise BadRequestError(f"refused: {reason}")


def _json(status: int, payload: Any) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=json.dumps(payload))


@app.post("/scans")
@tracer.capture_method
def scan_now() -> Response:
    body: ScanNowBody = _body(ScanNowBody)
    try:
        site = Site.new(body.url, label=body.label, request=body.request)
        request = site.scan_request()
    except (BadUrl, ValidationError, ValueError) as exc:
        raise BadRequestError(_first_error(exc)) from exc
    _guard(site.url, body.request)
    message_id = services().sites.queue.send(request.model_dump_json())
    return _json(202, {"queued": True, "message_id": message_id, "site_id": site.site_id, "site_url": site.url})


@app.get("/sites")
def list_sites() -> Response:
    label = (app.current_event.query_string_parameters or {}).get("label")
    return _json(200, {"sites": [s.model_dump(mode="json") for s in services().sites.registry.sites(label)]})


@app.post("/sites")
@tracer.capture_method
def add_site() -> Response:
    body: SiteBody = _body(SiteBody)
    try:
        site = Site.new(body.url, schedule=body.schedule, label=body.label, notify=body.notify, request=body.request)
    except (BadUrl, ValidationError, ValueError) as exc:
        raise BadRequestError(_first_error(exc)) from exc
    _guard(site.url, body.request)
    try:
        services().sites.add(site)
    except SiteExists:
        return _json(409, {"message": f"site {site.site_id} is registered already"})
    logger.info("site added", extra={"site_id": site.site_id})
    return _json(201, site.model_dump(mode="json"))


@app.get("/sites/<site_id>")
def show_site(site_id: str) -> Response:
    site = services().sites.registry.get(site_id)
    if site is None:
        raise NotFoundError(f"no site {site_id}")
    schedule = services().sites.schedules.get(site_id)
    payload = site.model_dump(mode="json")
    payload["deployed_schedule"] = None if schedule is None else {
        "expression": schedule.expression, "timezone": schedule.timezone, "input": json.loads(schedule.input)}
    return _json(200, payload)


@app.patch("/sites/<site_id>")
def update_site(site_id: str) -> Response:
    patch: SitePatch = _body(SitePatch)
    changes = patch.model_dump(exclude_unset=True)
    current = services().sites.registry.get(site_id)
    if current is None:
        raise NotFoundError(f"no site {site_id}")
    if "request" in changes:
        _guard(current.url, changes["request"])
    try:
        site = services().sites.update(site_id, **changes)
    except SiteNotFound as exc:
        raise NotFoundError(f"no site {site_id}") from exc
    except (ValidationError, ValueError) as exc:
        raise BadRequestError(_first_error(exc)) from exc
    return _json(200, site.model_dump(mode="json"))


@app.delete("/sites/<site_id>")
def remove_site(site_id: str) -> Response:
    if not services().sites.remove(site_id):
        raise NotFoundError(f"no site {site_id}")
    return Response(status_code=204, body="")


@app.get("/sites/<site_id>/latest")
def latest_report(site_id: str) -> Response:
    report = services().store.latest(site_id)
    if report is None:
        raise NotFoundError(f"no report for site {site_id}")
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=report.model_dump_json())


@app.get("/sites/<site_id>/scans/<scan_id>")
def scan_report(site_id: str, scan_id: str) -> Response:
    report = services().store.load(site_id, scan_id)
    if report is None:
        raise NotFoundError(f"no report for scan {scan_id} of site {site_id}")
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=report.model_dump_json())


@logger.inject_lambda_context(correlation_id_path=correlation_paths.LAMBDA_FUNCTION_URL)
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
