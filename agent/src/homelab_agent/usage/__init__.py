"""Usage scans: one filesystem's directory tree sized within budgets, and what grew (ADR 0005)."""
