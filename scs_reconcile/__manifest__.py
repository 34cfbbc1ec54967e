# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SCS Acquirer Reconciliation",
    "summary": "Card payments against bank registries, agent sales against supplier statements",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "SCS",
    "maintainers": ["scs-team"],
    "website": "https://github.com/scs-airline/scs",
    "license": "LGPL-3",
    "depends": ["scs_pos", "account", "mail"],
    "external_dependencies": {"python": ["openpyxl"]},
    "data": [
        "security/ir.model.access.csv",
        "security/scs_acquirer_security.xml",
        "data/scs_reconcile_data.xml",
        "data/scs_reconcile_profile_data.xml",
        "views/scs_acquirer_views.xml",
        "views/scs_reconcile_views.xml",
        "views/scs_statement_views.xml",
    ],
    "demo": ["demo/scs_acquirer_demo.xml"],
    "installable": True,
}
