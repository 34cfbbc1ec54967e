# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Russia - Accounting (SCS)",
    "summary": "Russian chart of accounts (Order 94n) and VAT 22/20/10/0% for SCS",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations/Account Charts",
    "countries": ["ru"],
    "author": "SCS",
    "maintainers": ["scs-team"],
    "website": "https://github.com/scs-airline/scs",
    "license": "LGPL-3",
    "depends": ["account"],
    "data": [],
    "installable": True,
}
