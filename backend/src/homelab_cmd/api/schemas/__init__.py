"""Schemas package."""
