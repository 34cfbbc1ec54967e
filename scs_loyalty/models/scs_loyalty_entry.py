# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

CREDIT_KINDS = ("issue", "accrual", "recredit", "merge_in", "opening")
KINDS = [
    ("issue", "Issue"),
    ("accrual", "Accrual"),
    ("redemption", "Redemption"),
    ("recredit", "Refund of a Redemption"),
    ("reversal", "Reversal on Refund"),
    ("void", "Refund of the Sale"),
    ("expiry", "Expiry"),
    ("merge_in", "Merged In"),
    ("merge_out", "Merged Out"),
    ("opening", "Opening Balance"),
]


class ScsLoyaltyEntry(models.Model):
    """One change of a certificate's, voucher's or points account's balance.

    Append-only: the ledger is the audit trail. A credit (issue, accrual, ...) is a
    lot that spending consumes first-in first-out; its ``remaining`` is the only
    thing that changes later, under the account's row lock."""

    _name = "scs.loyalty.entry"
    _description = "Loyalty Ledger Entry"
    _order = "card_id, id desc"
    _rec_name = "key"

    key = fields.Char(
        required=True,
        readonly=True,
        help="Idempotency key: the same operation processed twice finds its entry.",
    )
    card_id = fields.Many2one(
        "loyalty.card", string="Account", required=True, readonly=True, ondelete="restrict"
    )
    program_id = fields.Many2one(
        "loyalty.program", related="card_id.program_id", store=True, index=True
    )
    scs_kind = fields.Selection(related="program_id.scs_kind", store=True, string="Tender")
    company_id = fields.Many2one("res.company", related="card_id.company_id", store=True)
    currency_id = fields.Many2one("res.currency", related="card_id.currency_id")
    partner_id = fields.Many2one("res.partner", related="card_id.partner_id", string="Customer")
    kind = fields.Selection(KINDS, required=True, readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    day = fields.Date(
        required=True, readonly=True, help="The operation's day in the office's time zone."
    )
    amount = fields.Float(
        digits=(16, 2), required=True, readonly=True, help="Roubles, or points for points."
    )
    balance = fields.Float(digits=(16, 2), readonly=True, help="The balance after this entry.")
    value = fields.Monetary(
        readonly=True, help="The entry in roubles: points at the program's point value."
    )
    remaining = fields.Float(
        digits=(16, 2), readonly=True, help="What spending has not consumed of this credit yet."
    )
    expires = fields.Date(readonly=True, help="Last day this credit can be spent.")
    vat_rate = fields.Float(digits=(5, 2), readonly=True, help="VAT charged on the advance (%).")
    vat_amount = fields.Monetary(string="VAT", readonly=True)
    order_id = fields.Many2one("pos.order", readonly=True, index="btree_not_null")
    order_line_id = fields.Many2one("pos.order.line", readonly=True, index="btree_not_null")
    payment_id = fields.Many2one("pos.payment", readonly=True, index="btree_not_null")
    source_entry_id = fields.Many2one(
        "scs.loyalty.entry",
        string="Undoes",
        readonly=True,
        index="btree_not_null",
        help="The redemption a re-credit gives back.",
    )
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True, index="btree_not_null"
    )
    take_ids = fields.One2many("scs.loyalty.take", "entry_id", string="Lots Used", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="By", readonly=True, default=lambda self: self.env.user
    )
    note = fields.Char(readonly=True)

    _sql_constraints = [
        ("key_uniq", "unique(key)", "This loyalty operation has already been recorded."),
    ]

    def init(self):
        # an account's ledger, newest first, as the ledger list pages it (the balance
        # itself is kept on the account)
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS scs_loyalty_entry_card_id_desc
                ON scs_loyalty_entry (card_id, id DESC) INCLUDE (balance)
            """
        )
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS scs_loyalty_entry_open_lots
                ON scs_loyalty_entry (card_id, day, id) WHERE remaining > 0
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("scs_loyalty_post"):
            raise UserError(self.env._("Loyalty ledger entries are written by the operations."))
        return super().create(vals_list)

    def write(self, vals):
        allowed = {"remaining", "move_id"}
        if not self.env.context.get("scs_loyalty_post") or set(vals) - allowed:
            raise UserError(self.env._("Loyalty ledger entries cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Loyalty ledger entries cannot be deleted."))

    # -- expiry ------------------------------------------------------------------

    @api.model
    def _scs_expiry_day(self):
        # a lot may be spent all of its last day in every office: it expires once
        # that day has ended in the westernmost time zone (Kaliningrad)
        return fields.Datetime.context_timestamp(
            self.with_context(tz="Europe/Kaliningrad"), fields.Datetime.now()
        ).date()

    @api.model
    def _cron_scs_expire(self, limit=5000):
        """Write off what is left of expired certificates, vouchers and points lots,
        and move its value from the liability to other income."""
        day = self._scs_expiry_day()
        lots = self.sudo().search(
            [("remaining", ">", 0), ("expires", "!=", False), ("expires", "<", day)],
            order="expires, id",
            limit=limit,
        )
        for program in lots.program_id:
            program._scs_accounts()
            written = self.browse()
            for lot in lots.filtered(lambda lot, p=program: lot.program_id == p):
                written |= lot.card_id._scs_expire(lot, day)
            takes = written.take_ids
            if program.scs_kind == "points":
                value = sum((Decimal(str(e.value)) for e in written), Decimal(0))
            else:
                # the VAT charged on a certificate's sale stays charged: the
                # liability carries the rest
                value = sum(
                    (Decimal(str(t.amount)) - Decimal(str(t.vat_amount)) for t in takes),
                    Decimal(0),
                )
                value = -value
            label = self.env._("Expired %(program)s", program=program.name)
            program._scs_post_move(
                day,
                label,
                [
                    (program.scs_liability_account_id, -value, label),
                    (program.scs_breakage_account_id, value, label),
                ],
                written,
            )
        if len(lots) == limit:
            self.env.ref("scs_loyalty.ir_cron_scs_loyalty_expire")._trigger()
