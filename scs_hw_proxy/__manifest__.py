# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SCS Hardware Proxy",
    "summary": "Office-PC proxy for Odoo POS: card terminals, fiscal registers, printers",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "SCS",
    "maintainers": ["scs-team"],
    "website": "https://github.com/scs-airline/scs",
    "license": "LGPL-3",
    "depends": ["web"],
    "external_dependencies": {"python": ["pyserial", "python-escpos"]},
    "data": [],
    "post_load": "post_load",
    "installable": True,
}
