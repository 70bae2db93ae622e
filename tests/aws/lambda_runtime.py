"""Running a handler in-process the way the Lambda runtime does: its module loaded from functions/<name>/,
the environment template.yaml gives it (pointing at the moto server's resources), and a context object
with the attributes the runtime passes."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
POWERTOOLS_ENV = {"POWERTOOLS_SERVICE_NAME": "privacyscan", "POWERTOOLS_METRICS_NAMESPACE": "Privacyscan",
                  "POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_DEV": "0"}


@dataclass
class LambdaContext:
    function_name: str = "privacyscan-test"
    memory_limit_in_mb: int = 3008
    timeout_s: float = 900.0
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:eu-north-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return int((self.timeout_s - (time.monotonic() - self.started)) * 1000)


def load_handler(name: str) -> ModuleType:
    """A fresh copy of functions/<name>/app.py (module state such as composed adapters starts empty)."""
    module_name = f"privacyscan_function_{name}_{uuid.uuid4().hex[:6]}"
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "functions" / name / "app.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def sample_events(name: str) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((ROOT / "events" / name).glob("*.json"))}
