# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import re

import psycopg2

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .scs_approval import PIN_ATTEMPTS, PIN_LOCK

_logger = logging.getLogger(__name__)

# a POS sync asks the directory about its user at most this often
DIRECTORY_CHECK_MINUTES = 5


class ResUsers(models.Model):
    _inherit = "res.users"

    # only the hash is stored, readable by nobody but the superuser
    scs_pin_hash = fields.Char(string="Approval PIN Hash", copy=False, groups="base.group_system")
    scs_pin_failures = fields.Integer(
        string="Wrong PIN Attempts", copy=False, groups="base.group_system"
    )
    scs_pin_locked_until = fields.Datetime(
        string="PIN Locked Until", copy=False, groups="base.group_system"
    )
    scs_pin = fields.Char(
        string="Approval PIN",
        compute="_compute_scs_pin",
        inverse="_inverse_scs_pin",
        help="4 to 8 digits a manager types at a cash desk to approve a discount or a refund. "
        "Only its hash is kept.",
    )
    scs_has_pin = fields.Boolean(string="Has an Approval PIN", compute="_compute_scs_pin")
    # the other side of the offices' staff: record rules read the user's offices from it
    scs_office_ids = fields.Many2many(
        "scs.office",
        "scs_office_res_users_rel",
        "user_id",
        "office_id",
        string="Sales Offices",
        help="The offices this employee works in; a manager sees their figures.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "scs_office_ids" in vals:
            # the office record rules' cached domains read this field
            self.env.registry.clear_cache()
        return result

    def _scs_office_ids(self):
        """The offices the user works in or runs (the staff and the office managers)."""
        self.ensure_one()
        offices = self.env["scs.office"].sudo().with_context(active_test=False)
        return (self.sudo().scs_office_ids | offices.search([("manager_id", "=", self.id)])).ids

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["scs_pin", "scs_has_pin"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["scs_pin"]

    def _compute_scs_pin(self):
        for user in self:
            user.scs_pin = False
            user.scs_has_pin = bool(user.sudo().scs_pin_hash)

    def _inverse_scs_pin(self):
        for user in self:
            if not user.scs_pin:
                continue
            if not re.fullmatch(r"\d{4,8}", user.scs_pin):
                raise ValidationError(self.env._("The approval PIN must be 4 to 8 digits."))
            user.sudo().write(
                {
                    "scs_pin_hash": self._crypt_context().hash(user.scs_pin),
                    "scs_pin_failures": 0,
                    "scs_pin_locked_until": False,
                }
            )

    def _scs_check_pin(self, pin):
        """None if ``pin`` is right, else why not; failures lock the PIN for a while."""
        self.ensure_one()
        user = self.sudo()
        now = fields.Datetime.now()
        if user.scs_pin_locked_until and user.scs_pin_locked_until > now:
            return self.env._(
                "Too many wrong PINs: %(manager)s's PIN is locked for a while.", manager=user.name
            )
        if user.scs_pin_hash and self._crypt_context().verify(str(pin or ""), user.scs_pin_hash):
            user.scs_pin_failures = 0
            return None
        failures = user.scs_pin_failures + 1
        user.write(
            {
                "scs_pin_failures": 0 if failures >= PIN_ATTEMPTS else failures,
                "scs_pin_locked_until": now + PIN_LOCK if failures >= PIN_ATTEMPTS else False,
            }
        )
        _logger.warning("SCS approval: wrong PIN for %s (%s in a row)", user.login, failures)
        return self.env._("Wrong PIN.")

    # sign-in through the directory (res.company.ldap): the account there
    scs_ldap_dn = fields.Char(
        string="Directory Account", copy=False, readonly=True, groups="base.group_system"
    )
    scs_ldap_server_id = fields.Many2one(
        "res.company.ldap",
        string="Directory Server",
        copy=False,
        readonly=True,
        ondelete="set null",
        groups="base.group_system",
    )
    scs_ldap_checked_at = fields.Datetime(
        string="Last Directory Check", copy=False, readonly=True, groups="base.group_system"
    )

    def _scs_cron_directory_check(self):
        """Deactivate the users the directory no longer has (disabled or deleted)."""
        users = self.sudo().search([("scs_ldap_dn", "!=", False)])
        self.env["res.company.ldap"].sudo()._scs_check_users(users)

    def _scs_check_directory_for_sync(self):
        """Refuse a POS sync by a user the directory no longer has; asks the directory
        at most every DIRECTORY_CHECK_MINUTES, and lets the sync go on if it is down."""
        user = self.env.user.sudo()
        if not user.scs_ldap_dn:
            return
        now = fields.Datetime.now()
        since = fields.Datetime.subtract(now, minutes=DIRECTORY_CHECK_MINUTES)
        if user.scs_ldap_checked_at and user.scs_ldap_checked_at > since:
            return
        try:
            # a transaction of its own: the deactivation outlives the refused sync
            with self.env.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                gone = env["res.company.ldap"]._scs_check_users(env["res.users"].browse(user.id))
                gone = bool(gone)
        except psycopg2.OperationalError as e:  # a concurrent sync is checking them
            _logger.info("LDAP: check of %s skipped (%s)", user.login, e)
            return
        user.invalidate_recordset()
        if gone:
            raise UserError(
                self.env._(
                    "Your account is disabled in the company directory: orders can no longer "
                    "be sent with it. They are kept on this cash desk."
                )
            )
