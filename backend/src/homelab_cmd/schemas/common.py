"""Shapes shared by every resource."""

from typing import Annotated

from pydantic import BaseModel, StringConstraints


class ErrorResponse(BaseModel):
    """Every error the API returns: the exception name and a sentence for humans."""

    error: str
    detail: str


# Both engines refuse NUL in text. A pattern is checked inside pydantic-core, with no Python call
# per string; lone surrogates never get this far (the JSON parser and str→UTF-8 refuse them).
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
