"""The OpenAPI document: bodies a route parses itself, and the error envelope as sent."""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from homelab_cmd.schemas.common import ErrorResponse

REF = "#/components/schemas/{model}"
SELF_PARSED = "x-self-parsed-body"
_documented: list[type[BaseModel]] = []
# FastAPI documents its own 422 body ({"detail": [...]}); the hub answers in its envelope
# (error_handlers.py), with the problems under "errors" when the request did not validate (a
# domain rule's 422, such as InvalidLevels, has none). The items keep FastAPI's schema.
VALIDATION_ERROR = {
    "title": "HTTPValidationError",
    "type": "object",
    "properties": {
        "error": {"type": "string", "title": "Error"},
        "detail": {"type": "string", "title": "Detail"},
        "errors": {
            "type": "array",
            "items": {"$ref": REF.format(model="ValidationError")},
            "title": "Errors",
            "description": "Each field that did not validate; absent for a domain rule's 422",
        },
    },
    "required": ["error", "detail"],
}
# FastAPI refuses a body that is not text at all (bytes that are not UTF-8) before validation;
# routes that parse their own body answer 422 for those too.
BAD_BODY = {
    "description": "The body could not be read as JSON text",
    "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorResponse")}}},
}


def request_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` declaring `model` as the JSON body; the schema joins the components."""
    _documented.append(model)
    schema = {"$ref": REF.format(model=model.__name__)}
    return {
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        SELF_PARSED: True,
    }


def install_openapi(app: FastAPI) -> None:
    """Generate the document once, adding the schemas of self-parsed bodies."""

    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            components = document.setdefault("components", {}).setdefault("schemas", {})
            models: list[type[BaseModel]] = [ErrorResponse, *_documented]
            _, defs = models_json_schema([(m, "validation") for m in models], ref_template=REF)
            for name, schema in defs.get("$defs", {}).items():
                components.setdefault(name, schema)
            if "HTTPValidationError" in components:
                components["HTTPValidationError"] = VALIDATION_ERROR
            for path in document.get("paths", {}).values():
                for operation in path.values():
                    if "requestBody" in operation and not operation.pop(SELF_PARSED, False):
                        operation.setdefault("responses", {}).setdefault("400", BAD_BODY)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
