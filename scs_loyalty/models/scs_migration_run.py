# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

#: what may change on a run once recorded (its chatter)
_WRITABLE = {"message_main_attachment_id"}


class ScsMigrationRun(models.Model):
    """One check or import of an office's files (``scs.migration``): who ran it,
    which files (their SHA-256), every bad row, and the totals before and after.

    Written once by the migration, never changed or deleted: the office signs off
    on it."""

    _name = "scs.migration.run"
    _description = "Office Migration Run"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    source = fields.Char(
        required=True,
        readonly=True,
        help="The old cash system the files come from (e.g. the office code): legacy "
        "customer ids are unique within it.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="By", required=True, readonly=True)
    dry_run = fields.Boolean(string="Check Only", readonly=True)
    state = fields.Selection(
        [
            ("checked", "Checked: no errors"),
            ("failed", "Errors: nothing written"),
            ("done", "Imported"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    key = fields.Char(
        required=True,
        readonly=True,
        index=True,
        help="SHA-256 of the source and the files' contents: the same files give the same "
        "key, whatever their names.",
    )
    files = fields.Text(readonly=True, help="Each file: its name, kind, rows and SHA-256.")
    error_count = fields.Integer(string="Bad Rows", readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    report = fields.Text(readonly=True)
    totals = fields.Json(readonly=True, help="Counts and sums per kind: files, before, after.")
    duration = fields.Float(string="Seconds", digits=(16, 1), readonly=True)
    previous_run_id = fields.Many2one(
        "scs.migration.run",
        string="Same Files Imported By",
        readonly=True,
        help="An earlier import of the very same files.",
    )

    _sql_constraints = [
        (
            "key_imported_uniq",
            "EXCLUDE (key WITH =) WHERE (state = 'done' AND created_count > 0)",
            "These files have already been imported.",
        ),
    ]

    def write(self, vals):
        if set(vals) - _WRITABLE and not self.env.context.get("scs_migration"):
            raise UserError(
                self.env._("A migration run is a record of what was done: it is never changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A migration run is never deleted."))
