"""Start SCS on the demo database and print where to go and who to log in as.

Called by ``./scs demo`` after set-up. The demo database ``scs_demo`` is cloned
from a template with all add-ons and their demo data; it is kept between runs
(your changes stay) until the add-ons change or ``--reset`` is given.
"""

import argparse
import importlib.util
import os
import socket
import subprocess
import sys
import time
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
 WHERE d.module IN ('scs_pos', 'scs_fiscal') AND d.model = 'pos.config'
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


DEMO_TOKEN = "scs-demo-pairing-token-change-me-on-a-real-desk"
DEVICES = odoodb.ROOT / "scs_hw_proxy" / "emulators"


def start_office_pc(base, port):
    """The Moscow desk's office PC, emulated: register, card terminal, printer and proxy.

    Returns the processes to stop and the lines to print.
    """
    folder = odoodb.WORK / "demo-office-pc"
    folder.mkdir(parents=True, exist_ok=True)
    upos = folder / "upos"
    spec = importlib.util.spec_from_file_location("sb_pilot", DEVICES / "sb_pilot.py")
    sb_pilot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sb_pilot)
    if not (upos / "pinpad.ini").exists():
        sb_pilot.prepare(upos, terminal_id="20071188")
    control_port = first_free_port(8792)
    printer_port = first_free_port(9100)
    link = folder / "ttySCS"
    register = subprocess.Popen(
        [sys.executable, str(DEVICES / "shtrih_register.py"), "--link", str(link)]
        + ["--state", str(folder / "register.json"), "--control-port", str(control_port)],
        stdout=subprocess.DEVNULL,
    )
    printer = subprocess.Popen(
        [sys.executable, str(DEVICES / "printer.py"), "--port", str(printer_port)]
        + ["--out", str(folder / "printer.bin")],
        stdout=subprocess.DEVNULL,
    )
    origins = ",".join({base, base.replace("localhost", "127.0.0.1")})
    conf = folder / "proxy.conf"
    conf.write_text(
        "[options]\n"
        f"addons_path = {odoodb.ROOT}\n"
        f"data_dir = {folder / 'data'}\n"
        f"db_host = {folder / 'no-database'}\n"
        "http_interface = 127.0.0.1\n"
        f"http_port = {port}\n"
        "list_db = False\n"
        "workers = 0\n"
        "max_cron_threads = 0\n"
        f"scs_hw_proxy_token = {DEMO_TOKEN}\n"
        f"scs_hw_proxy_origins = {origins}\n"
        f"scs_hw_proxy_register = {link}\n"
        f"scs_hw_proxy_terminal = {DEVICES / 'sb_pilot.py'}\n"
        f"scs_hw_proxy_terminal_dir = {upos}\n"
        f"scs_hw_proxy_printer = tcp://127.0.0.1:{printer_port}\n"
    )
    # the register's pty link must exist before the proxy opens it
    for _ in range(100):
        if link.exists():
            break
        time.sleep(0.1)
    proxy = subprocess.Popen(
        [str(odoodb.VENV / "bin" / "python"), str(odoodb.VENV / "bin" / "odoo-bin")]
        + ["-c", str(conf), "--load=base,web,scs_hw_proxy", "--log-level=warn"],
        cwd=odoodb.ROOT,
        stdout=subprocess.DEVNULL,
    )
    lines = [
        f"  Office PC of the Moscow desk (hardware proxy): http://localhost:{port}",
        "    Shtrih-M register emulator (its state: "
        f"http://127.0.0.1:{control_port}/state), Sber UPOS terminal emulator in {upos},",
        f"    ESC/POS printer emulator writing to {folder / 'printer.bin'}",
        "    the Moscow desk takes cards on the terminal and prints fiscal receipts there",
    ]
    return [proxy, register, printer], lines


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
    proxy_port = first_free_port(8075)
    odoodb.psql(
        "UPDATE pos_config SET proxy_ip = :'p0', scs_proxy_token = :'p1'"
        " WHERE id IN (SELECT res_id FROM ir_model_data"
        " WHERE module = 'scs_pos' AND name = 'pos_config_msk_demo')",
        f"http://localhost:{proxy_port}",
        DEMO_TOKEN,
        db=DEMO_DB,
    )
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
    if args.no_serve:
        print("\n".join(lines), flush=True)
        return 0
    office_pc, office_lines = start_office_pc(base, proxy_port)
    print("\n".join(lines[:-1] + office_lines + [""]), flush=True)
    emulators = office_pc + [
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
