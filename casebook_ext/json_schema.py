"""The JSON Schema of ``cases.json``, from the case fields and the vocabularies in force.

It describes exactly what :func:`casebook_ext.records.envelope` writes, so a consumer can
validate the published data, and a test validates the real casebook's data against it.
"""

from __future__ import annotations

from typing import Any

from casebook_ext.records import FORMAT_VERSION
from casebook_ext.schema import EDITORIAL_FIELDS, FIELDS_BY_NAME
from casebook_ext.vocabulary import Vocabularies

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SCHEMA_NAME = "cases.schema.json"


def _describe(name: str) -> str:
    return FIELDS_BY_NAME[name].description.replace("``", "")


def _terms(vocab: Vocabularies, name: str, nullable: bool = False) -> dict[str, Any]:
    terms: list[Any] = list(vocab[name])
    return {"enum": [*terms, None]} if nullable else {"type": "string", "enum": terms}


def _list(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items, "uniqueItems": True}


def case_schema(vocab: Vocabularies, summary_max_length: int = 280) -> dict[str, Any]:
    """One case record, as ``cases.json`` holds it."""
    text = {"type": "string", "minLength": 1}
    properties: dict[str, Any] = {
        "id": {"type": "string", "pattern": SLUG_PATTERN, "description": "Stable id of the case (a slug)."},
        "title": {**text, "description": _describe("title")},
        "summary": {"type": "string", "maxLength": summary_max_length, "description": _describe("summary")},
        "place": {"type": ["string", "null"], "description": _describe("place")},
        "country": {
            **_list({"type": "string", "pattern": "^([A-Z]{2}|multiple)$"}),
            "description": _describe("country"),
        },
        "level": {**_terms(vocab, "level", nullable=True), "description": _describe("level")},
        "organisations": {**_list(text), "description": _describe("organisations")},
        "years": {
            "type": ["object", "null"],
            "required": ["start", "end"],
            "additionalProperties": False,
            "properties": {"start": {"type": "integer"}, "end": {"type": ["integer", "null"]}},
            "description": "When the work ran; end is null while it is ongoing.",
        },
        "status": {**_terms(vocab, "status", nullable=True), "description": _describe("status")},
        "pillars": {**_list(_terms(vocab, "pillar")), "description": _describe("pillars")},
        "instruments": {**_list(_terms(vocab, "instrument")), "description": _describe("instruments")},
        "themes": {**_list(_terms(vocab, "theme")), "description": _describe("themes")},
        "related": {
            "type": "array",
            "description": "Related cases: direction 'to' when this case declares the relation, 'from' when "
            "the other case does.",
            "items": {
                "type": "object",
                "required": ["id", "relation", "direction"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": SLUG_PATTERN},
                    "relation": _terms(vocab, "relation"),
                    "direction": {"type": "string", "enum": ["to", "from"]},
                },
            },
        },
        "resources": {
            "type": "array",
            "description": "The case's sources: BibTeX key, short label, formatted reference and link.",
            "items": {
                "type": "object",
                "required": ["key", "label", "citation", "link"],
                "additionalProperties": False,
                "properties": {
                    "key": text,
                    "label": text,
                    "citation": {"type": "string"},
                    "link": {"type": ["string", "null"], "pattern": "^(https?|mailto):"},
                },
            },
        },
        "last-reviewed": {"type": ["string", "null"], "format": "date", "description": _describe("last-reviewed")},
        "editorial": {
            **_list({"type": "string", "enum": list(EDITORIAL_FIELDS)}),
            "description": _describe("editorial"),
        },
        "url": {**text, "description": "Where the case is published (absolute when the site has a base URL)."},
        "review-due": {
            "type": "boolean",
            "description": "Whether the case's last review is older than the site allows.",
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def cases_json_schema(vocab: Vocabularies, summary_max_length: int = 280) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``cases.json``."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Mission Casebook cases",
        "type": "object",
        "additionalProperties": False,
        "required": ["$schema", "format", "casebook", "cases"],
        "properties": {
            "$schema": {"type": "string"},
            "format": {"const": FORMAT_VERSION},
            "casebook": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "authors", "edition", "built", "url", "licence"],
                "properties": {
                    "title": {"type": "string"},
                    "authors": {"type": "string"},
                    "edition": {"type": "string"},
                    "built": {"type": "string", "format": "date"},
                    "url": {"type": ["string", "null"]},
                    "licence": {"type": "string"},
                },
            },
            "cases": {"type": "array", "items": {"$ref": "#/$defs/case"}},
        },
        "$defs": {"case": case_schema(vocab, summary_max_length)},
    }
