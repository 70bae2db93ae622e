"""IAB Transparency & Consent Framework v2 consent strings (the "TC string"), decoded in pure Python.

Only the core segment matters here: what the consent platform itself records as consented after the
visitor's choice. After "reject all" no purpose and no vendor may be consented. Layout: IAB TCF v2.2
"Consent string and vendor list formats", section "The core string".
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from ...models import TcfConsent

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class TcStringError(ValueError):
    pass


class _Bits:
    def __init__(self, data: bytes) -> None:
        self.bits = "".join(f"{b:08b}" for b in data)
        self.pos = 0

    def int(self, n: int) -> int:
        if self.pos + n > len(self.bits):
            raise TcStringError("TC string ends early")
        value = int(self.bits[self.pos : self.pos + n], 2)
        self.pos += n
        return value

    def bool(self) -> bool:
        return self.int(1) == 1

    def letters(self, count: int) -> str:
        return "".join(chr(ord("A") + self.int(6)) for _ in range(count))

    def bitfield(self, n: int) -> list[int]:
        return [i + 1 for i in range(n) if self.int(1)]

    def time(self) -> datetime:
        return _EPOCH + timedelta(milliseconds=self.int(36) * 100)

    def vendors(self) -> list[int]:
        max_id = self.int(16)
        if not self.bool():
            return self.bitfield(max_id)
        out: list[int] = []
        for _ in range(self.int(12)):
            is_range = self.bool()
            start = self.int(16)
            end = self.int(16) if is_range else start
            out.extend(range(start, end + 1))
        return out


def _b64(segment: str) -> bytes:
    segment = segment.strip()
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def decode_tc_string(tc_string: str) -> TcfConsent:
    """The core segment of a TCF v2 consent string. Raises TcStringError on a malformed string."""
    if not tc_string:
        raise TcStringError("empty TC string")
    try:
        bits = _Bits(_b64(tc_string.split(".")[0]))
    except (ValueError, TypeError) as exc:
        raise TcStringError(f"not base64url: {exc}") from exc
    version = bits.int(6)
    if version != 2:
        raise TcStringError(f"TCF version {version} is not supported (only 2)")
    created = bits.time()
    last_updated = bits.time()
    cmp_id = bits.int(12)
    cmp_version = bits.int(12)
    bits.int(6)  # consent screen
    language = bits.letters(2)
    vendor_list_version = bits.int(12)
    policy_version = bits.int(6)
    bits.bool()  # is service specific
    bits.bool()  # use non-standard texts
    special_features = bits.bitfield(12)
    purposes_consent = bits.bitfield(24)
    purposes_li = bits.bitfield(24)
    bits.bool()  # purpose one treatment
    bits.letters(2)  # publisher country
    vendor_consents = bits.vendors()
    vendor_li = bits.vendors()
    return TcfConsent(
        tc_string=tc_string[:2000],
        version=version,
        created=created,
        last_updated=last_updated,
        cmp_id=cmp_id,
        cmp_version=cmp_version,
        consent_language=language,
        vendor_list_version=vendor_list_version,
        policy_version=policy_version,
        special_features=special_features,
        purposes_consent=purposes_consent,
        purposes_legitimate_interest=purposes_li,
        vendor_consents=vendor_consents,
        vendor_legitimate_interest=vendor_li,
    )


def encode_tc_string(
    *,
    cmp_id: int = 10,
    purposes_consent: list[int] = (),
    purposes_li: list[int] = (),
    vendor_consents: list[int] = (),
    vendor_li: list[int] = (),
    created: datetime | None = None,
) -> str:
    """A TCF v2 core string with the given choices (bitfield vendor encoding). For fixtures and tests:
    the scanner itself only decodes."""
    created = created or datetime(2025, 1, 1, tzinfo=UTC)
    deciseconds = int((created - _EPOCH).total_seconds() * 10)
    out: list[str] = []

    def put(value: int, n: int) -> None:
        out.append(f"{value:0{n}b}")

    def field(ids, n: int) -> None:
        out.append("".join("1" if i + 1 in set(ids) else "0" for i in range(n)))

    def letters(text: str) -> None:
        for ch in text:
            put(ord(ch) - ord("A"), 6)

    put(2, 6)
    put(deciseconds, 36)
    put(deciseconds, 36)
    put(cmp_id, 12)
    put(1, 12)
    put(1, 6)
    letters("NO")
    put(100, 12)
    put(4, 6)
    put(0, 1)
    put(0, 1)
    field([], 12)
    field(purposes_consent, 24)
    field(purposes_li, 24)
    put(0, 1)
    letters("NO")
    for ids in (vendor_consents, vendor_li):
        max_id = max(ids, default=0)
        put(max_id, 16)
        put(0, 1)
        field(ids, max_id)
    put(0, 12)  # no publisher restrictions
    bitstring = "".join(out)
    bitstring += "0" * (-len(bitstring) % 8)
    data = int(bitstring, 2).to_bytes(len(bitstring) // 8, "big")
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
