"""Fiscal drivers: the cloud service client (and the interface the local register shares)."""
