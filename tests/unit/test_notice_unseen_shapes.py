"""Round 3 of issue 16 item 3: the checker on notice kinds no labelled set has (school, GP, sports club,
housing co-op, church, SaaS, webshop, municipality, foreign data protection authorities). The texts in
notice_unseen_shapes_round3.py were made up and run through the checker before the round's changes (52 of
80 found, 4 of 15 decoys wrongly credited); each text is judged alone, with no frame, so nothing but the
text itself can give the item."""

from __future__ import annotations

import pytest

from . import notice_unseen_shapes_round3b as second_batch
from .notice_samples import present_in
from .notice_unseen_shapes_round3 import GIVEN, NOT_GIVEN, UNDECIDED_OR_MISSED


@pytest.mark.parametrize(("item", "text"), [(item, text) for item, texts in GIVEN.items() for text in texts])
def test_unseen_shape_gives_the_item(item: int, text: str) -> None:
    assert present_in(text, item)


@pytest.mark.parametrize(("item", "text"), [(item, text) for item, texts in NOT_GIVEN.items() for text in texts])
def test_decoy_next_to_the_shape_does_not_give_the_item(item: int, text: str) -> None:
    assert not present_in(text, item)


@pytest.mark.parametrize(
    ("item", "text"), [(item, text) for item, texts in UNDECIDED_OR_MISSED.items() for text in texts]
)
def test_reader_as_source_by_giving_or_using_left_to_the_labels(item: int, text: str) -> None:
    """The labels do not count "data you provide" / "when you ... we collect" as a source (see
    the module of texts); if this starts failing, the English source patterns grew and the heldout and
    heldout2 precision must be checked again."""
    assert not present_in(text, item)


def test_organisation_number_needs_digits() -> None:
    """'Org.no' in a domain or a heading is no organisation number; with nine digits it names the controller."""
    assert not present_in("Se www.klubben.org.no for mer. Kontakt: post@klubben.org.no, 0150 Oslo.", 1)
    assert present_in("Klubben (Org.no: 917 616 140). Adresse: Storgata 1, 0150 Oslo.", 1)


def test_mandatory_word_with_what_giving_the_data_makes_possible() -> None:
    """'nødvendig for å kunne X' alone is a purpose; next to 'frivillig'/'obligatorisk' it is item 12."""
    assert present_in("Samtykket er frivillig, men også nødvendig for å kunne fullføre bestillingen.", 12)
    assert not present_in("Opplysningene er nødvendige for å kunne fullføre bestillingen.", 12)


@pytest.mark.parametrize(
    ("item", "text"), [(item, text) for item, texts in second_batch.GIVEN.items() for text in texts]
)
def test_second_batch_shape_gives_the_item(item: int, text: str) -> None:
    assert present_in(text, item)


@pytest.mark.parametrize(
    ("item", "text"), [(item, text) for item, texts in second_batch.NOT_GIVEN.items() for text in texts]
)
def test_second_batch_decoy_does_not_give_the_item(item: int, text: str) -> None:
    assert not present_in(text, item)


@pytest.mark.parametrize(
    ("item", "text"), [(item, text) for item, texts in second_batch.MISSED.items() for text in texts]
)
def test_known_miss_stays_recorded(item: int, text: str) -> None:
    """A case handled 'automatically' names no decision; if this starts passing as present, move it up."""
    assert not present_in(text, item)
