# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SCS Point of Sale",
    "summary": "Airline sales offices: offices, service catalogue, composite orders, "
    "tenders and cash discipline on Odoo POS",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "SCS",
    "maintainers": ["scs-team"],
    "website": "https://github.com/scs-airline/scs",
    "license": "LGPL-3",
    "depends": [
        "point_of_sale",
        "account",
        "stock",
        "hr",
        "analytic",
        "l10n_ru_scs",
        "auth_ldap",
    ],
    "external_dependencies": {
        "python": ["num2words", "zeep", "requests", "xlsxwriter", "cryptography"]
    },
    "data": [
        "security/scs_security.xml",
        "security/ir.model.access.csv",
        "security/scs_office_security.xml",
        "data/scs_role_limit_data.xml",
        "data/scs_cash_data.xml",
        "data/scs_ldap_data.xml",
        "views/scs_office_views.xml",
        "views/scs_service_bundle_views.xml",
        "views/pos_config_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/hr_employee_views.xml",
        "views/pos_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/pos_payment_method_views.xml",
        "views/scs_approval_views.xml",
        "views/scs_dashboard_views.xml",
        "views/res_users_views.xml",
        "views/res_company_ldap_views.xml",
        "views/scs_menus.xml",
        "views/scs_sales_report_views.xml",
        "report/scs_cash_reports.xml",
        "views/scs_cash_views.xml",
    ],
    "demo": [
        "demo/scs_company_demo.xml",
        "demo/product_demo.xml",
        "demo/scs_office_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "scs_pos/static/src/app/**/*",
            "scs_pos/static/src/overrides/**/*",
        ],
        "web.assets_backend": [
            "scs_pos/static/src/backend/**/*",
        ],
        "web.assets_tests": [
            "scs_pos/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
