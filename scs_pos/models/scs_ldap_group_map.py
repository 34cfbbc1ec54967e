# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ScsLdapGroupMap(models.Model):
    """A directory group and the SCS role and offices its members get."""

    _name = "scs.ldap.group.map"
    _description = "SCS Role from a Directory Group"
    _order = "ldap_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    ldap_id = fields.Many2one(
        "res.company.ldap", string="LDAP Server", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ldap_id.company", store=True, index=True)
    group_dn = fields.Char(
        string="Directory Group",
        required=True,
        help="The group's DN (cn=scs-irk-cashiers,ou=groups,dc=example,dc=com) or its "
        "bare common name (scs-irk-cashiers); case does not matter.",
    )
    role = fields.Selection(
        [
            ("cashier", "Cashier"),
            ("manager", "Manager"),
            ("accountant", "Accountant"),
            ("admin", "Administrator"),
        ],
        string="SCS Role",
        required=True,
        default="cashier",
        help="Members get this role at each sign-in. A member of several mapped groups "
        "gets the highest role, in the order cashier, manager, accountant, administrator, "
        "and the offices of all of them.",
    )
    office_ids = fields.Many2many(
        "scs.office",
        "scs_ldap_group_map_scs_office_rel",
        "map_id",
        "office_id",
        string="Offices",
        check_company=True,
        help="Offices the members work in; their staff lists follow the directory.",
    )

    _sql_constraints = [
        (
            "group_uniq",
            "unique(ldap_id, group_dn)",
            "A directory group is mapped once per LDAP server.",
        ),
    ]
