"""Shapes shared by every resource."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel


class ErrorResponse(BaseModel):
    """Every error the API returns: the exception name and a sentence for humans."""

    error: str
    detail: str


def _storable_text(value: str) -> str:
    # Both engines refuse NUL in text and lone surrogates cannot be encoded; say so as a 422
    # instead of failing at commit time.
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from exc
    return value


Text = Annotated[str, AfterValidator(_storable_text)]
