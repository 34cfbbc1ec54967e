# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import registry, rows, statement

#: the fields of an acquirer registry
FIELDS = [
    ("date", "Operation date (or date-time)"),
    ("time", "Operation time"),
    ("settlement_date", "Settlement date"),
    ("terminal_id", "Terminal ID"),
    ("merchant_id", "Merchant ID"),
    ("kind", "Operation type"),
    ("card_mask", "Card number (masked)"),
    ("auth_code", "Authorisation code"),
    ("rrn", "RRN"),
    ("amount", "Amount"),
    ("fee", "Fee"),
    ("net", "Net to be credited"),
    ("batch", "Batch"),
    ("currency", "Currency"),
]
#: the fields of a supplier statement that a registry does not have
STATEMENT_FIELDS = [
    ("document", "Document number (EMD, policy, voucher)"),
    ("item", "Item code"),
    ("quantity", "Quantity"),
    ("commission", "Agent commission"),
    ("booking", "Booking reference"),
    ("passenger", "Passenger"),
]
SEPARATORS = {"none": "", "space": "\u00a0", "comma": ",", "point": "."}
KIND_LABELS = [
    (rows.PURCHASE, "Purchase"),
    (rows.REFUND, "Refund"),
    (rows.REVERSAL, "Reversal of a purchase"),
    (rows.CANCEL_REFUND, "Cancelled refund"),
    (rows.CHARGEBACK, "Chargeback"),
    (rows.CHARGEBACK_REVERSAL, "Chargeback reversal"),
    (rows.FEE_ONLY, "Fee only"),
    (statement.SALE, "Sale (supplier statement)"),
]


class ScsReconcileProfile(models.Model):
    """How one bank writes its registry, or one supplier its statement: a new bank
    or supplier is a new profile, not new code."""

    _name = "scs.reconcile.profile"
    _description = "Registry Mapping Profile"
    _order = "name"

    name = fields.Char(required=True)
    scope = fields.Selection(
        [("acquirer", "Acquirer registry"), ("supplier", "Supplier statement")],
        required=True,
        default="acquirer",
        help="An acquirer's registry of card operations, or a supplier's statement of "
        "what our offices sold on its behalf.",
    )
    code = fields.Char(required=True, help="Short technical name, part of each row's key.")
    active = fields.Boolean(default=True)
    file_type = fields.Selection([("csv", "CSV"), ("xlsx", "XLSX")], required=True, default="csv")
    encoding = fields.Selection(
        [
            ("utf-8", "UTF-8 (with or without BOM)"),
            ("utf-8-sig", "UTF-8 with BOM"),
            ("cp1251", "Windows-1251"),
        ],
        required=True,
        default="utf-8",
    )
    delimiter = fields.Char(default=",", size=1, help="CSV column separator; \\t for a tab.")
    decimal_separator = fields.Selection(
        [("point", "Point"), ("comma", "Comma")], required=True, default="point"
    )
    thousands_separator = fields.Selection(
        [
            ("none", "None"),
            ("space", "Space (also non-breaking)"),
            ("comma", "Comma"),
            ("point", "Point"),
        ],
        required=True,
        default="none",
    )
    date_format = fields.Char(default="%d.%m.%Y", required=True)
    time_format = fields.Char(default="%H:%M:%S", required=True)
    datetime_format = fields.Char(default="%Y-%m-%d %H:%M:%S", required=True)
    sheet = fields.Char(string="XLSX Sheet", help="Empty: the first sheet.")
    amount_signed = fields.Boolean(
        string="Signed Amounts",
        default=True,
        help="Off: amounts are positive and the operation type gives the sign.",
    )
    totals_marker = fields.Char(
        string="Totals Row Starts With",
        help="e.g. Итого: the table ends there and its totals must add up.",
    )
    column_ids = fields.One2many("scs.reconcile.profile.column", "profile_id", string="Columns")
    kind_ids = fields.One2many("scs.reconcile.profile.kind", "profile_id", string="Operation Types")

    _sql_constraints = [("code_uniq", "unique(code)", "A profile code must be unique.")]

    @api.constrains("column_ids", "kind_ids", "delimiter", "file_type", "scope")
    def _check_profile(self):
        # a profile being set up has no columns yet: it is checked in full on import
        for profile in self.filtered("column_ids"):
            try:
                profile._scs_engine_profile()
            except registry.RegistryError as err:
                raise ValidationError(
                    self.env._("Profile %(profile)s: %(error)s", profile=profile.name, error=err)
                ) from None

    def _scs_engine_profile(self):
        self.ensure_one()
        columns = {c.field: c.header for c in self.column_ids}
        engine = statement.StatementProfile if self.scope == "supplier" else registry.Profile
        labels = dict(FIELDS + STATEMENT_FIELDS)
        missing = [f for f in engine.REQUIRED if f not in columns]
        if self.scope == "supplier" and not any(f in columns for f in statement.IDENTIFIERS):
            missing.append("document")
        if missing:
            raise ValidationError(
                self.env._(
                    "Profile %(profile)s must name the columns %(fields)s.",
                    profile=self.name,
                    fields=", ".join(labels[f] for f in missing),
                )
            )
        alien = [f for f in columns if f not in engine.FIELDS]
        if alien:
            raise ValidationError(
                self.env._(
                    "Profile %(profile)s maps %(fields)s, which its files do not have.",
                    profile=self.name,
                    fields=", ".join(labels[f] for f in alien),
                )
            )
        if self.file_type == "csv" and not self.delimiter:
            raise ValidationError(self.env._("A CSV profile needs its delimiter."))
        delimiter = "\t" if self.delimiter == "\\t" else (self.delimiter or ",")
        return engine(
            name=self.code,
            file_type=self.file_type,
            columns=columns,
            kinds={k.literal.strip().casefold(): k.kind for k in self.kind_ids},
            encoding=self.encoding,
            delimiter=delimiter,
            decimal_separator=SEPARATORS[self.decimal_separator],
            thousands_separator=SEPARATORS[self.thousands_separator or "none"],
            date_format=self.date_format,
            time_format=self.time_format,
            datetime_format=self.datetime_format,
            sheet=self.sheet or "",
            amount_signed=self.amount_signed,
            totals_marker=self.totals_marker or "",
        )


class ScsReconcileProfileColumn(models.Model):
    _name = "scs.reconcile.profile.column"
    _description = "Registry Column"
    _order = "profile_id, id"

    profile_id = fields.Many2one("scs.reconcile.profile", required=True, ondelete="cascade")
    field = fields.Selection(FIELDS + STATEMENT_FIELDS, required=True)
    header = fields.Char(required=True, help="The column's header as the bank writes it.")

    _sql_constraints = [
        ("field_uniq", "unique(profile_id, field)", "Each field is mapped once per profile."),
    ]


class ScsReconcileProfileKind(models.Model):
    _name = "scs.reconcile.profile.kind"
    _description = "Registry Operation Type"
    _order = "profile_id, id"

    profile_id = fields.Many2one("scs.reconcile.profile", required=True, ondelete="cascade")
    literal = fields.Char(string="As Written", required=True)
    kind = fields.Selection(KIND_LABELS, required=True)

    _sql_constraints = [
        ("literal_uniq", "unique(profile_id, literal)", "Each operation type is mapped once."),
    ]
