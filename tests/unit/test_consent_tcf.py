"""IAB TCF v2 consent strings decoded in pure Python."""

from __future__ import annotations

import pytest

from privacyscan.crawl.consent.tcf import TcStringError, decode_tc_string, encode_tc_string


def test_a_published_tc_string_decodes_to_its_documented_values() -> None:
    # The IAB Java library's decode of this string (range-encoded vendors): cmpId 2, language EN,
    # vendor list 128, policy 2, purposes {1}, vendor consents {1000..1004}, legitimate interest {1003, 1004}.
    tcf = decode_tc_string("CPhBZtcPhBZtcACABAENCACgAIAAAAAAAAAAH2QAYH0AfYB9kAGB9YH2AAAA.YAAAAAAAAAAA")
    assert (tcf.version, tcf.cmp_id, tcf.cmp_version, tcf.consent_language) == (2, 2, 1, "EN")
    assert (tcf.vendor_list_version, tcf.policy_version) == (128, 2)
    assert tcf.purposes_consent == [1] and tcf.purposes_legitimate_interest == []
    assert tcf.vendor_consents == [1000, 1001, 1002, 1003, 1004]
    assert tcf.vendor_legitimate_interest == [1003, 1004]


def test_reject_and_accept_strings_round_trip() -> None:
    rejected = decode_tc_string(encode_tc_string(cmp_id=28))
    assert rejected.purposes_consent == [] and rejected.vendor_consents == [] and rejected.cmp_id == 28
    accepted = decode_tc_string(
        encode_tc_string(
            cmp_id=28, purposes_consent=[1, 3, 4], purposes_li=[2, 7], vendor_consents=[755, 793]
        )
    )
    assert accepted.purposes_consent == [1, 3, 4] and accepted.purposes_legitimate_interest == [2, 7]
    assert accepted.vendor_consents == [755, 793]


@pytest.mark.parametrize("bad", ["", "!!!", "BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA", "CQ"])
def test_malformed_or_old_strings_raise(bad: str) -> None:
    with pytest.raises(TcStringError):
        decode_tc_string(bad)
