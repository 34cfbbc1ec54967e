# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SCS Fiscal Documents",
    "summary": "54-FZ fiscal documents (FFD 1.2) for every sale, refund and cash movement",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "SCS",
    "maintainers": ["scs-team"],
    "website": "https://github.com/scs-airline/scs",
    "license": "LGPL-3",
    "depends": ["scs_pos"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "views/pos_config_views.xml",
    ],
    "installable": True,
}
