"""Adapters to the outside world (SOAP, devices, files): no ``import odoo``."""
