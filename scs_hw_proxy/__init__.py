from . import controllers


def post_load():
    """On the office PC (a pairing token is set), start the devices and the journal's
    recovery at once, not at the first POS call: a proxy restarted after a crash decides
    its open steps even when no cashier is there."""
    from odoo.tools import config

    if config.get("scs_hw_proxy_token"):
        from .adapters import devices

        devices.get(config.options)
