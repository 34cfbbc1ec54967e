# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
import zipfile

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import migration


def read_zip(data):
    """(name, bytes) of the files in a zip, folders and hidden files left out."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            (info.filename.rsplit("/", 1)[-1], archive.read(info))
            for info in archive.infolist()
            if not info.is_dir() and not info.filename.rsplit("/", 1)[-1].startswith(".")
        ]


class ScsMigrationWizard(models.TransientModel):
    """Import an office: upload its files, check them, then import what was checked."""

    _name = "scs.migration.wizard"
    _description = "Import an Office"

    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Files",
        help="services, customers, certificates, vouchers, points, cash_openings: CSV or "
        "XLSX, one file per kind (or all in one zip).",
    )
    source = fields.Char(
        required=True,
        help="Short name of the old cash system (e.g. the office code): legacy customer "
        "ids are unique within it.",
    )
    certificate_program_id = fields.Many2one(
        "loyalty.program",
        domain="[('scs_kind', '=', 'certificate')]",
        help="Where the certificates go; empty: the company's only certificate program.",
    )
    voucher_program_id = fields.Many2one(
        "loyalty.program",
        domain="[('scs_kind', '=', 'voucher')]",
        help="Where the vouchers go; empty: the company's only voucher program.",
    )
    points_program_id = fields.Many2one(
        "loyalty.program",
        domain="[('scs_kind', '=', 'points')]",
        help="Where the points go; empty: the company's only points program.",
    )
    check_run_id = fields.Many2one("scs.migration.run", string="Check", readonly=True)
    import_run_id = fields.Many2one("scs.migration.run", string="Import", readonly=True)
    checked_key = fields.Char(readonly=True)
    report = fields.Text(compute="_compute_report")
    can_import = fields.Boolean(compute="_compute_report")

    @api.depends("check_run_id", "import_run_id", "checked_key", "attachment_ids", "source")
    def _compute_report(self):
        for wizard in self:
            run = wizard.import_run_id or wizard.check_run_id
            wizard.report = run.report or ""
            wizard.can_import = bool(
                wizard.check_run_id.state == "checked"
                and not wizard.import_run_id
                and wizard.checked_key == wizard._scs_key()
            )

    def _scs_files(self):
        files = []
        for attachment in self.attachment_ids:
            data = base64.b64decode(attachment.datas or b"")
            if attachment.name.lower().endswith(".zip"):
                try:
                    files.extend(read_zip(data))
                except zipfile.BadZipFile:
                    raise UserError(
                        self.env._("%(name)s is not a zip archive.", name=attachment.name)
                    ) from None
            else:
                files.append((attachment.name, data))
        return files

    def _scs_key(self):
        return migration.files_key(self.source or "", self._scs_files()) if self.source else ""

    def _scs_programs(self):
        return {
            kind: program
            for kind, program in (
                ("certificate", self.certificate_program_id),
                ("voucher", self.voucher_program_id),
                ("points", self.points_program_id),
            )
            if program
        }

    def _scs_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_check(self):
        """The dry run: every bad row and the totals, nothing written."""
        self.ensure_one()
        files = self._scs_files()
        run = self.env["scs.migration"].scs_run(
            files, self.source, dry_run=True, programs=self._scs_programs()
        )
        self.write(
            {
                "check_run_id": run.id,
                "import_run_id": False,
                "checked_key": migration.files_key(self.source, files),
            }
        )
        return self._scs_reopen()

    def action_import(self):
        """Import the files just checked, once the check found no bad row."""
        self.ensure_one()
        self.env["scs.migration"]._scs_check_access()
        files = self._scs_files()
        if self.check_run_id.state != "checked" or self.checked_key != migration.files_key(
            self.source, files
        ):
            raise UserError(
                self.env._("Check these files first: only files checked clean are imported.")
            )
        run = self.env["scs.migration"].scs_run(
            files, self.source, dry_run=False, programs=self._scs_programs()
        )
        self.import_run_id = run
        return self._scs_reopen()

    def action_open_run(self):
        self.ensure_one()
        run = self.import_run_id or self.check_run_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "scs.migration.run",
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }
