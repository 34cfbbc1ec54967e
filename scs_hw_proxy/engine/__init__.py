"""Pure-Python parts of the hardware proxy: no ``import odoo``."""
