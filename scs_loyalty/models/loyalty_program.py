# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

#: the SCS kind of a program and the Odoo program type that carries it
KIND_TYPES = {"certificate": "gift_card", "voucher": "ewallet", "points": "loyalty"}
MONEY_KINDS = ("certificate", "voucher")


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    scs_kind = fields.Selection(
        [
            ("certificate", "Gift Certificates"),
            ("voucher", "Vouchers"),
            ("points", "Bonus Points"),
        ],
        string="SCS Tender",
        index=True,
        help="Set: the program's cards are an SCS tender with a ledger and a liability "
        "(the POS takes them as payment lines, not as Odoo discount rewards).",
    )
    scs_liability_account_id = fields.Many2one(
        "account.account",
        string="Liability Account",
        check_company=True,
        domain="[('account_type', 'in', ('liability_current', 'liability_non_current'))]",
        help="Account that carries the value of issued certificates, vouchers or points "
        "until they are redeemed or expire (e.g. 62.02 advances received, 98.01).",
    )
    scs_breakage_account_id = fields.Many2one(
        "account.account",
        string="Expiry Income Account",
        check_company=True,
        help="Other income (91.01) that takes the unused balance when it expires.",
    )
    scs_expense_account_id = fields.Many2one(
        "account.account",
        string="Expense Account",
        check_company=True,
        help="Expense of issuing vouchers (compensation) or of accruing points (44).",
    )
    scs_vat_account_id = fields.Many2one(
        "account.account",
        string="VAT Account",
        check_company=True,
        help="VAT payable (68.02): the VAT charged on a certificate's sale, an advance, "
        "is deducted back when the certificate pays for services.",
    )
    scs_journal_id = fields.Many2one(
        "account.journal",
        string="Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of the liability entries (voucher issue, points, VAT offset, expiry).",
    )
    scs_validity_months = fields.Integer(
        string="Validity (months)",
        default=12,
        help="A certificate, voucher or accrual expires this many months after its day; "
        "0: never.",
    )
    scs_product_id = fields.Many2one(
        "product.product",
        string="Certificate Product",
        check_company=True,
        help="Selling this product issues one certificate per unit for the line's price.",
    )
    scs_point_value = fields.Float(
        string="Point Value",
        digits=(16, 4),
        default=1.0,
        help="Roubles one point pays.",
    )
    scs_accrual_rate = fields.Float(
        string="Points per Rouble",
        digits=(16, 4),
        default=0.05,
        help="Accrual per line: floor(price after discount x rate).",
    )
    scs_max_share = fields.Float(
        string="Max Share of Order (%)",
        digits=(5, 2),
        default=50.0,
        help="Points pay at most this share of an order.",
    )
    scs_min_balance = fields.Float(
        string="Minimum Balance",
        digits=(16, 2),
        default=0.0,
        help="Points can be spent once the balance reaches this many points.",
    )
    scs_refund_shortfall = fields.Selection(
        [
            ("negative", "Leave a negative balance"),
            ("from_refund", "Keep their value back from the refund"),
        ],
        string="Spent Points on Refund",
        default="negative",
        help="A refund takes back the points its lines earned; when the customer has "
        "already spent them, either the balance goes below zero or their value is kept "
        "back from the money refunded.",
    )

    @api.onchange("scs_kind")
    def _onchange_scs_kind(self):
        if self.scs_kind:
            self.program_type = KIND_TYPES[self.scs_kind]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("scs_kind"):
                vals["program_type"] = KIND_TYPES[vals["scs_kind"]]
                # Odoo's POS loyalty would apply the cards as discount rewards
                vals["pos_ok"] = False
                vals.setdefault("trigger", "with_code")
                # Odoo's partner merge sums a customer's "future" cards of a program
                # into one: SCS cards keep their own ledgers and SCS merges them
                vals["applies_on"] = "current"
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("scs_kind"):
            vals = dict(
                vals, program_type=KIND_TYPES[vals["scs_kind"]], pos_ok=False, applies_on="current"
            )
        if "scs_kind" in vals and self.env["scs.loyalty.entry"].sudo().search_count(
            [("program_id", "in", self.ids)], limit=1
        ):
            if any(p.scs_kind != vals["scs_kind"] for p in self):
                raise ValidationError(
                    _("A program with ledger entries cannot change what kind of tender it is.")
                )
        return super().write(vals)

    @api.constrains("scs_liability_account_id")
    def _check_scs_liability_account(self):
        for program in self:
            account = program.scs_liability_account_id
            if account and not account.account_type.startswith("liability"):
                raise ValidationError(
                    _(
                        "Account %(account)s of program %(program)s is not a liability: "
                        "unredeemed certificates and points are owed to customers.",
                        account=account.display_name,
                        program=program.name,
                    )
                )

    @api.constrains(
        "scs_kind",
        "scs_point_value",
        "scs_accrual_rate",
        "scs_max_share",
        "scs_min_balance",
        "scs_validity_months",
        "currency_id",
        "pos_ok",
    )
    def _check_scs_settings(self):
        for program in self.filtered("scs_kind"):
            problem = None
            if program.pos_ok:
                problem = _("it is a tender, not a POS reward")
            elif program.scs_validity_months < 0:
                problem = _("the validity cannot be negative")
            elif program.scs_kind == "points" and program.scs_point_value <= 0:
                problem = _("a point must be worth more than zero")
            elif program.scs_kind == "points" and program.scs_accrual_rate < 0:
                problem = _("the accrual rate cannot be negative")
            elif program.scs_kind == "points" and not 0 < program.scs_max_share <= 100:
                problem = _("the maximum share of an order is a percentage above 0")
            elif program.scs_min_balance < 0:
                problem = _("the minimum balance cannot be negative")
            elif program.scs_kind in MONEY_KINDS and program.currency_id.name != "RUB":
                problem = _("certificates and vouchers are in roubles")
            if problem:
                raise ValidationError(
                    _("Program %(program)s: %(problem)s.", program=program.name, problem=problem)
                )

    def _scs_accounts(self):
        """The liability entries' accounts; raises a clear error when one is not set."""
        self.ensure_one()
        missing = [
            label
            for label, account in (
                (_("Liability Account"), self.scs_liability_account_id),
                (_("Expiry Income Account"), self.scs_breakage_account_id),
                (_("Journal"), self.scs_journal_id),
            )
            if not account
        ]
        if self.scs_kind != "certificate" and not self.scs_expense_account_id:
            missing.append(_("Expense Account"))
        if missing:
            raise ValidationError(
                _(
                    "Program %(program)s needs its %(fields)s before it can post entries.",
                    program=self.name,
                    fields=", ".join(missing),
                )
            )
        return self

    @api.model
    def _scs_certificate_programs(self, company):
        """Product -> the certificate program that sells it, in ``company``: one search
        per order or invoice, not one per line."""
        programs = self.sudo().search(
            [("scs_kind", "=", "certificate"), ("company_id", "in", (False, company.id))]
        )
        return {program.scs_product_id: program for program in programs if program.scs_product_id}

    def _scs_post_move(self, day, ref, lines, entries):
        """Post one journal entry of ``lines`` (account, amount: + debit / - credit,
        label) and link the ledger ``entries`` it accounts for."""
        self.ensure_one()
        lines = [(account, amount, label) for account, amount, label in lines if amount]
        if not lines:
            return self.env["account.move"]
        program = self._scs_accounts()
        company = program.company_id or entries.company_id[:1] or self.env.company
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": program.scs_journal_id.id,
                    "date": day,
                    "ref": ref,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "account_id": account.id,
                                "name": label,
                                "debit": float(amount) if amount > 0 else 0.0,
                                "credit": float(-amount) if amount < 0 else 0.0,
                            }
                        )
                        for account, amount, label in lines
                    ],
                }
            )
        )
        move.action_post()
        entries.sudo().with_context(scs_loyalty_post=True).write({"move_id": move.id})
        return move
