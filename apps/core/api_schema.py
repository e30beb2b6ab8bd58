"""Documents the API's error answers in the OpenAPI schema, for every operation.

Every error has one shape (apps.core.api_errors). Clients and the schema fuzzing in the test suite
rely on the schema naming each status an operation can answer: bad input (400), missing or bad
credentials (401), refused (403), not found or not visible (404), throttled (429).
"""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": True},
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}
ERROR_RESPONSES = {
    "400": "The request has invalid fields or parameters.",
    "401": "Missing, invalid, expired or revoked credentials.",
    "403": "Signed in, but not allowed (role, company status or two-step verification).",
    "404": "No such object, or not visible to you; also a page number past the end.",
    "429": "Too many requests; retry after the number of seconds in Retry-After.",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(status, {"description": description, "content": reference})
    return result
