"""Marshmallow schemas, one module per models module; each record type's is
named in its registry entry (server/records/registry.py)."""
