# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``odoo-bin --addons-path=... scs-migrate -c odoo.conf -d DB --source VVO --files DIR``

Odoo 18 finds an add-on's command by importing every add-on that has a ``cli``
folder when the command is not one of its own; the add-ons path must then come
first on the command line (``--addons-path=``), as Odoo reads only that before
the command's name.
"""

import argparse
import sys
import zipfile
from pathlib import Path

import odoo
from odoo.cli import Command
from odoo.exceptions import AccessError

SUFFIXES = (".csv", ".txt", ".xlsx")


def read_files(path):
    """(name, bytes) of the CSV and XLSX files in folder ``path``, or in a zip."""
    from ..wizards.scs_migration_wizard import read_zip

    path = Path(path)
    if path.is_file() and zipfile.is_zipfile(path):
        return read_zip(path.read_bytes())
    if path.is_file():
        return [(path.name, path.read_bytes())]
    return [
        (child.name, child.read_bytes())
        for child in sorted(path.iterdir())
        if child.is_file() and child.suffix.lower() in SUFFIXES
    ]


def migrate(env, files, source, dry_run=False, login="admin", out=None):
    """Run the migration of ``files`` (a folder, a zip or (name, bytes) pairs) as the
    user ``login``; print the report to ``out``. Returns (exit code, run)."""
    out = out or sys.stdout
    user = env["res.users"].search([("login", "=", login)], limit=1)
    if not user:
        out.write(f"scs-migrate: no user {login}\n")
        return 2, None
    env = env(user=user.id, context=dict(env.context, tz=user.tz or "Europe/Moscow"))
    env = env(context=dict(env.context, allowed_company_ids=user.company_id.ids))
    if not isinstance(files, list):
        files = read_files(files)
    try:
        run = env["scs.migration"].scs_run(files, source, dry_run=dry_run)
    except AccessError as err:
        out.write(f"scs-migrate: {err}\n")
        return 3, None
    out.write(run.report + "\n")
    out.write(f"{run.name}: {dict(run._fields['state'].selection)[run.state]}\n")
    return (0 if run.state in ("checked", "done") else 1), run


class ScsMigrate(Command):
    """Import an office's files into SCS (services, customers, certificates, points)"""

    name = "scs-migrate"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(
            prog=f"{Path(sys.argv[0]).name} {self.name}",
            description="Check and import an office's files; other options go to Odoo "
            "(-c, -d, --db_host...). Exit code: 0 clean, 1 bad rows (nothing written), "
            "2 or 3 wrong user.",
        )
        parser.add_argument("--files", required=True, help="folder or zip of the files")
        parser.add_argument("--source", required=True, help="old system's name, e.g. VVO")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--user", default="admin", help="login of an SCS administrator")
        args, odoo_args = parser.parse_known_args(cmdargs)
        odoo.tools.config.parse_config(odoo_args, setup_logging=True)
        dbname = odoo.tools.config["db_name"]
        if not dbname or "," in dbname:
            sys.exit("scs-migrate: name one database with -d")
        registry = odoo.modules.registry.Registry(dbname)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            code, _run = migrate(env, args.files, args.source, args.dry_run, args.user)
            # the run is the audit trail, also of a check or of bad rows: nothing else
            # was written unless every row was good
            cr.commit()  # pylint: disable=invalid-commit
        sys.exit(code)
