"""Routes package."""
