"""Export the case schema as JSON Schema, so other tools can validate or generate cases."""

from __future__ import annotations

from typing import Any

from casebook_ext.schema import EDITORIAL_FIELDS, FIELDS, Kind
from casebook_ext.vocabulary import Vocabularies

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _property(kind: Kind, vocabulary: list[str] | None) -> dict[str, Any]:
    if kind is Kind.TERM:
        return {"type": "string", "enum": vocabulary}
    if kind is Kind.TERMS:
        return {"type": "array", "items": {"type": "string", "enum": vocabulary}, "uniqueItems": True}
    if kind is Kind.COUNTRIES:
        return {"type": "array", "items": {"type": "string", "pattern": "^([A-Z]{2}|multiple)$"}}
    if kind is Kind.NAMES:
        return {"type": "array", "items": {"type": "string", "minLength": 1}}
    if kind is Kind.YEARS:
        return {
            "type": "object",
            "required": ["start"],
            "additionalProperties": False,
            "properties": {"start": {"type": "integer"}, "end": {"type": ["integer", "null"]}},
        }
    if kind is Kind.DATE:
        return {"type": "string", "format": "date"}
    if kind is Kind.RELATIONS:
        return {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["target"],
                "additionalProperties": False,
                "properties": {
                    "target": {"type": "string", "pattern": SLUG_PATTERN},
                    "kind": {"type": "string", "enum": vocabulary},
                },
            },
        }
    if kind is Kind.FIELD_NAMES:
        return {"type": "array", "items": {"type": "string", "enum": list(EDITORIAL_FIELDS)}, "uniqueItems": True}
    if kind is Kind.KEYS:
        return {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
    return {"type": "string", "minLength": 1}


def case_json_schema(vocab: Vocabularies, summary_max_length: int = 280) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one case as exported data, from :data:`FIELDS`."""
    properties: dict[str, Any] = {
        "id": {"type": "string", "pattern": SLUG_PATTERN, "description": "Stable id of the case (a slug)."}
    }
    for spec in FIELDS:
        terms = list(vocab[spec.vocabulary]) if spec.vocabulary else None
        prop = _property(spec.kind, terms)
        prop["description"] = spec.description.replace("``", "")
        if spec.name == "summary":
            prop["maxLength"] = summary_max_length
        properties[spec.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Mission Casebook case",
        "type": "object",
        "additionalProperties": False,
        "required": ["id", *(spec.name for spec in FIELDS if spec.required)],
        "properties": properties,
    }
