"""Emulators of the outside systems SCS talks to, for tests and demos (no odoo)."""
