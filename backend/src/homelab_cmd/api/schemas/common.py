"""Shapes shared by every resource."""

from pydantic import BaseModel


class ErrorResponse(BaseModel):
    """Every error the API returns: the exception name and a sentence for humans."""

    error: str
    detail: str
