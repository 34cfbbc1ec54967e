# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SCS Loyalty, Gift Certificates and Vouchers",
    "summary": "Bonus points, gift certificates and vouchers as tenders, and their liability",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "SCS",
    "maintainers": ["scs-team"],
    "website": "https://github.com/scs-airline/scs",
    "license": "LGPL-3",
    "external_dependencies": {"python": ["openpyxl"]},
    "depends": ["scs_pos", "scs_fiscal", "pos_loyalty"],
    "data": [
        "security/ir.model.access.csv",
        "security/scs_loyalty_security.xml",
        "data/ir_cron.xml",
        "views/loyalty_program_views.xml",
        "views/loyalty_card_views.xml",
        "views/scs_loyalty_voucher_issue_views.xml",
        "views/pos_views.xml",
        "views/scs_loyalty_menus.xml",
        "views/scs_loyalty_liability_report_views.xml",
        "views/scs_migration_views.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "scs_loyalty/static/src/**/*",
        ],
        "web.assets_tests": [
            "scs_loyalty/static/tests/tours/**/*",
        ],
    },
    "demo": ["demo/scs_loyalty_demo.xml"],
    "installable": True,
}
