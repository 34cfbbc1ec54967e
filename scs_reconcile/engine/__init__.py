"""Acquirer registries without a database: parsing by profile, and matching."""
