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
    "depends": ["scs_pos", "mail"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/scs_fiscal_security.xml",
        "data/scs_fiscal_data.xml",
        "views/scs_fiscal_register_views.xml",
        "views/scs_fiscal_document_views.xml",
        "views/scs_fiscal_shift_views.xml",
        "views/scs_fiscal_wizard_views.xml",
        "views/pos_config_views.xml",
        "views/pos_order_views.xml",
        "views/account_tax_views.xml",
        "views/res_users_views.xml",
        "views/scs_fiscal_menus.xml",
        "views/scs_cash_book_day_views.xml",
    ],
    "demo": ["demo/scs_fiscal_demo.xml"],
    "assets": {
        "point_of_sale._assets_pos": [
            "scs_fiscal/static/src/**/*",
        ],
        "web.assets_tests": [
            "scs_fiscal/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
