"""Which fields of a form ask for personal data (e-mail, name, phone, password ...), read from the
input type, the name/id and the label (data/personal_fields.json)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..models import FormControl, FormRecord
from .phrases import compile_phrases, hint_in_words, name_words, normalise

# Controls a visitor does not type into; they carry no data of their own.
_NOT_A_FIELD = frozenset(
    {"submit", "button", "reset", "image", "hidden", "checkbox", "radio", "range", "color"}
)


@dataclass(frozen=True)
class _Category:
    input_types: frozenset[str]
    name_hints: tuple[str, ...]
    label_pattern: re.Pattern[str]


@dataclass(frozen=True)
class PersonalField:
    """One field that asks for personal data, and what kind (email, name, phone, password ...)."""

    control: FormControl
    category: str


@lru_cache(maxsize=1)
def _categories() -> dict[str, _Category]:
    raw = resources.files("privacyscan").joinpath("data/personal_fields.json").read_text(encoding="utf-8")
    return {
        name: _Category(
            input_types=frozenset(spec["input_types"]),
            name_hints=tuple(spec["name_hints"]),
            label_pattern=compile_phrases(spec["label_phrases"]),
        )
        for name, spec in json.loads(raw)["categories"].items()
    }


def is_fillable(control: FormControl) -> bool:
    """A field a visitor types into or picks from (not a button, box or hidden value)."""
    return (
        control.tag in {"input", "textarea", "select"}
        and (control.type or "text").lower() not in _NOT_A_FIELD
    )


def personal_data_category(control: FormControl) -> str | None:
    """The kind of personal data a field asks for, or None for a field that does not (a search box)."""
    if not is_fillable(control):
        return None
    input_type = (control.type or "").lower()
    words = name_words(control.name, control.id)
    label = normalise(control.label)
    for name, category in _categories().items():
        if input_type in category.input_types:
            return name
    for name, category in _categories().items():
        if hint_in_words(category.name_hints, words) or (label and category.label_pattern.search(label)):
            return name
    return None


def personal_fields(form: FormRecord) -> list[PersonalField]:
    found = []
    for control in form.controls:
        category = personal_data_category(control)
        if category:
            found.append(PersonalField(control=control, category=category))
    return found
