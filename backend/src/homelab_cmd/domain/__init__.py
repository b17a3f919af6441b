"""What the hub knows, free of HTTP and SQL: tiers, filesystems, server ids, the metric catalogue.

The API schemas, the database models and the services all import from here; this package imports
nothing else of the hub (an import-linter contract keeps it so).
"""
