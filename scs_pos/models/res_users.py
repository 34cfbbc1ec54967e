# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import re

from odoo import fields, models
from odoo.exceptions import ValidationError

from .scs_approval import PIN_ATTEMPTS, PIN_LOCK

_logger = logging.getLogger(__name__)


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
