"""Pure-Python engines of scs_loyalty: no ``import odoo``, no database."""
