"""Start SCS on the demo database and print where to go and who to log in as.

Called by ``./scs demo`` after set-up. The demo database ``scs_demo`` is cloned
from a template with all add-ons and their demo data; it is kept between runs
(your changes stay) until the add-ons change or ``--reset`` is given.
"""

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoodb  # noqa: E402

DEMO_DB = "scs_demo"
KEY_FILE = odoodb.WORK / "demo-db.template"

ROLES_SQL = """
SELECT u.login, p.name
  FROM ir_model_data d
  JOIN res_users u ON u.id = d.res_id
  JOIN res_partner p ON p.id = u.partner_id
 WHERE d.module = 'scs_pos' AND d.model = 'res.users'
 ORDER BY d.id
"""
POS_SQL = """
SELECT c.id, c.name
  FROM ir_model_data d
  JOIN pos_config c ON c.id = d.res_id
 WHERE d.module = 'scs_pos' AND d.model = 'pos.config'
 ORDER BY d.id
"""


def first_free_port(port):
    """``port`` or the next one nobody listens on."""
    while True:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                port += 1
                continue
            return port


def start_emulator(script, port):
    return subprocess.Popen(
        [sys.executable, str(script), "--port", str(port)], stdout=subprocess.DEVNULL
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reset", action="store_true", help="recreate the demo database")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SCS_PORT", 8069)))
    parser.add_argument(
        "--no-serve", action="store_true", help="prepare the database and print, do not serve"
    )
    args = parser.parse_args()

    template = odoodb.ensure_template(demo=True)
    current = KEY_FILE.read_text().strip() if KEY_FILE.exists() else ""
    if args.reset or current != template or not odoodb.db_exists(DEMO_DB):
        odoodb.say(f"creating the demo database {DEMO_DB} from {template}")
        odoodb.clone(template, DEMO_DB)
        KEY_FILE.write_text(template)
    else:
        odoodb.say(f"reusing the demo database {DEMO_DB} (--reset to start afresh)")

    port = first_free_port(args.port)
    booking_port = first_free_port(8790)
    endpoint = f"http://127.0.0.1:{booking_port}/booking"
    odoodb.psql(
        "UPDATE ir_config_parameter SET value = :'p0' WHERE key = 'scs_pos.booking_endpoint'",
        endpoint,
        db=DEMO_DB,
    )
    atol_port = first_free_port(8791)
    atol_url = f"http://127.0.0.1:{atol_port}/possystem/v5/"
    odoodb.psql(
        "UPDATE scs_fiscal_register SET cloud_url = :'p0' WHERE kind = 'cloud'",
        atol_url,
        db=DEMO_DB,
    )
    base = f"http://localhost:{port}"
    lines = [
        "",
        "SCS is starting on the demo database (Ctrl+C stops it).",
        "",
        f"  Back office:  {base}/web/login?db={DEMO_DB}",
    ]
    for row in odoodb.psql(POS_SQL, db=DEMO_DB).splitlines():
        config_id, name = row.split("|", 1)
        lines.append(f"  POS {name}:  {base}/pos/ui?config_id={config_id}")
    lines += [
        "",
        "  Logins (password = login):",
        f"    {'admin':<14}Odoo superuser (password admin)",
    ]
    for row in odoodb.psql(ROLES_SQL, db=DEMO_DB).splitlines():
        login, name = row.split("|", 1)
        lines.append(f"    {login:<14}{name}")
    lines += [
        "    Approval PINs of the managers: irk.manager 1111, mow.manager 2222",
        "",
        f"  Booking system emulator: {endpoint}",
        "    SCS001 one passenger, FAM123 a family of three; refused: EUR001 (euros),",
        "    NEG001 (negative price), HX0001 (cancelled), NOPE99 (unknown), SLOW01 (slow)",
        f"  Cloud fiscal service emulator (ATOL Online v5): {atol_url}",
        "    the Irkutsk desk fiscalizes there; Point of Sale > Orders > Fiscal Documents",
        "",
    ]
    print("\n".join(lines), flush=True)
    if args.no_serve:
        return 0
    emulators = [
        start_emulator(odoodb.ROOT / "scs_pos" / "emulators" / "booking_server.py", booking_port),
        start_emulator(odoodb.ROOT / "scs_fiscal" / "emulators" / "atol_server.py", atol_port),
    ]
    try:
        proc = odoodb.odoo(["-d", DEMO_DB, f"--db-filter=^{DEMO_DB}$", "--http-port", str(port)])
    finally:
        for emulator in emulators:
            emulator.terminate()
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
