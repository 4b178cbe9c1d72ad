"""The human-readable API reference: archive/openapi.json reduced to what the ``/api`` page
shows (operations, parameters with examples, responses, schemas). Pure: a document in,
plain values out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode


@dataclass(frozen=True)
class TypeWords:
    """How the page words a type, in the interface language: ``array`` holds ``%(type)s``,
    ``located`` holds ``%(type)s`` and ``%(place)s`` (a parameter's place: query, path)."""

    array: str = "array of %(type)s"
    alternative: str = " or "
    located: str = "%(type)s, in %(place)s"
    places: tuple[tuple[str, str], ...] = (("query", "query"), ("path", "path"))

    def place(self, name: str) -> str:
        return dict(self.places).get(name, name)


ENGLISH = TypeWords()


@dataclass(frozen=True)
class Field:
    """A parameter or a schema property as one row of a table."""

    name: str
    type: str
    #: the component schema the type refers to, for a link ("" when none)
    ref: str
    required: bool
    description: str
    example: str


@dataclass(frozen=True)
class Operation:
    """One documented endpoint."""

    id: str
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field]
    #: the example request's path and query (relative to the API's base)
    example: str
    #: (status, description, schema name or "")
    responses: list[tuple[str, str, str]]


def _ref_name(schema: dict[str, Any]) -> str:
    ref = str(schema.get("$ref", ""))
    return ref.rsplit("/", 1)[-1] if ref else ""


def type_text(schema: dict[str, Any], say: TypeWords = ENGLISH) -> tuple[str, str]:
    """A schema's type as words ("array of string", "integer or null") and the schema it
    names, if any."""
    if name := _ref_name(schema):
        return name, name
    kind = schema.get("type", "any")
    if kind == "array":
        inner, ref = type_text(schema.get("items", {}), say)
        return say.array % {"type": inner}, ref
    words = say.alternative.join(kind) if isinstance(kind, list) else str(kind)
    if "format" in schema:
        words += f" ({schema['format']})"
    if "enum" in schema:
        words += ": " + ", ".join(str(v) for v in schema["enum"])
    return words, ""


def _example(param: dict[str, Any]) -> Any:
    if "example" in param:
        return param["example"]
    examples = param.get("examples") or {}
    first = next(iter(examples.values()), None)
    return first.get("value") if isinstance(first, dict) else None


def _example_request(path: str, params: list[dict[str, Any]]) -> str:
    query: list[tuple[str, str]] = []
    for param in params:
        value = _example(param)
        if value is None:
            continue
        if param.get("in") == "path":
            path = path.replace("{" + param["name"] + "}", str(value))
        elif param.get("in") == "query":
            values = value if isinstance(value, list) else [value]
            query += [(param["name"], str(v)) for v in values]
    return path + ("?" + urlencode(query) if query else "")


def operations(document: dict[str, Any], say: TypeWords = ENGLISH) -> list[Operation]:
    """Every operation of the document, in its order."""
    out = []
    for path, methods in document.get("paths", {}).items():
        for method, op in methods.items():
            params = op.get("parameters", [])
            fields = []
            for param in params:
                words, ref = type_text(param.get("schema", {}), say)
                example = _example(param)
                if isinstance(example, list):
                    example = ", ".join(str(v) for v in example)
                fields.append(
                    Field(
                        param["name"],
                        say.located % {"type": words, "place": say.place(param.get("in", "query"))},
                        ref,
                        bool(param.get("required")),
                        param.get("description", ""),
                        "" if example is None else str(example),
                    )
                )
            responses = []
            for status, response in op.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {})
                responses.append(
                    (
                        status,
                        response.get("description", ""),
                        type_text(content.get("schema", {}), say)[1],
                    )
                )
            out.append(
                Operation(
                    op.get("operationId", f"{method}-{path}"),
                    method.upper(),
                    path,
                    op.get("summary", ""),
                    op.get("description", ""),
                    fields,
                    _example_request(path, params),
                    responses,
                )
            )
    return out


def schemas(
    document: dict[str, Any], say: TypeWords = ENGLISH
) -> list[tuple[str, str, list[Field]]]:
    """Each component schema: (name, description, its properties)."""
    out = []
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        fields = []
        for prop, sub in schema.get("properties", {}).items():
            words, ref = type_text(sub, say)
            fields.append(Field(prop, words, ref, prop in required, sub.get("description", ""), ""))
        out.append((name, schema.get("description", ""), fields))
    return out
