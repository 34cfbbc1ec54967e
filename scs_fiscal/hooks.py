# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Mark the already installed 'not subject to VAT' taxes of the SCS chart."""
    for company in env["res.company"].search([]):
        tax = env.ref(f"account.{company.id}_ru_vat_sale_none", raise_if_not_found=False)
        if tax:
            tax.scs_ffd_vat = "none"
