"""Databases of the private cluster: templates with the add-ons installed, and clones.

Two layers of templates, each rebuilt only when its inputs change:

* ``scs_base_<key>``: Odoo's own modules our add-ons depend on (keyed by the Odoo
  tree and the dependency list), the slow part of an install;
* ``scs_tmpl_<key>``: a clone of the base with our add-ons installed (keyed by
  every non-test file of our add-ons, so a changed field or data file rebuilds it).

A clone is ``CREATE DATABASE ... TEMPLATE`` plus a copy of the filestore, which
PostgreSQL does not copy.
"""

import ast
import hashlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".work"
VENV = WORK / "venv"
DATA = WORK / "data"
PGRUN = WORK / "pg" / "run"
PGPORT = os.environ.get("SCS_PGPORT", "54329")
PGUSER = "scs"
ADDONS = sorted(p.parent.name for p in ROOT.glob("scs_*/__manifest__.py"))
ALL_OURS = sorted(p.parent.name for p in ROOT.glob("*/__manifest__.py"))
SKIP_PARTS = {"tests", "readme", "i18n", "__pycache__", "description"}


def say(msg):
    print(f"[scs] {msg}", file=sys.stderr, flush=True)


def pg_bin(name):
    for version in ("17", "16", "15", "14"):
        path = Path(f"/usr/lib/postgresql/{version}/bin/{name}")
        if path.exists():
            return str(path)
    return name


def pg_env():
    return dict(os.environ, PGHOST=str(PGRUN), PGPORT=PGPORT, PGUSER=PGUSER)


def psql(sql, *params, db="postgres"):
    """Run one statement; params are passed as psql variables, never spliced."""
    args = [pg_bin("psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", db]
    for i, value in enumerate(params):
        args += ["-v", f"p{i}={value}"]
    proc = subprocess.run(
        args, input=sql, env=pg_env(), capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise RuntimeError(proc.stderr.strip())
    return proc.stdout.strip()


def db_exists(name):
    return psql("SELECT 1 FROM pg_database WHERE datname = :'p0'", name) == "1"


def drop(name):
    if db_exists(name):
        psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :'p0'", name)
        subprocess.run([pg_bin("dropdb"), "--if-exists", name], env=pg_env(), check=True)
    shutil.rmtree(DATA / "filestore" / name, ignore_errors=True)


def clone(template, name):
    drop(name)
    subprocess.run([pg_bin("createdb"), "-T", template, name], env=pg_env(), check=True)
    src = DATA / "filestore" / template
    if src.exists():
        shutil.copytree(src, DATA / "filestore" / name)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_cmd(args):
    """odoo-bin with the project's config and cluster; a leading subcommand stays first."""
    sub = [args[0]] if args and not args[0].startswith("-") else []
    return [
        str(VENV / "bin" / "python"),
        str(VENV / "bin" / "odoo-bin"),
        *sub,
        "-c",
        str(ROOT / "odoo.conf"),
        f"--db_host={PGRUN}",
        f"--db_port={PGPORT}",
        f"--db_user={PGUSER}",
        f"--data-dir={DATA}",
        *args[len(sub) :],
    ]


def odoo(args, stdout=None):
    return subprocess.run(
        odoo_cmd(args),
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.STDOUT if stdout else None,
        check=False,
    )


def odoo_src():
    import odoo as odoo_pkg  # noqa: PLC0415 - only the venv's python has it

    return Path(odoo_pkg.__file__).resolve().parent.parent


def manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def external_depends():
    """Odoo modules our add-ons depend on, outside this repository."""
    deps = set()
    for addon in ALL_OURS:
        deps.update(manifest(addon).get("depends", []))
    return sorted(deps - set(ALL_OURS))


def _hash_files(paths):
    digest = hashlib.sha1()
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def base_key(demo):
    digest = hashlib.sha1()
    release = (odoo_src() / "odoo" / "release.py").read_bytes()
    digest.update(release + str(odoo_src()).encode() + repr((external_depends(), demo)).encode())
    return digest.hexdigest()[:12]


def addons_key(demo):
    files = [
        p
        for addon in ALL_OURS
        for p in (ROOT / addon).rglob("*")
        if p.is_file()
        and not SKIP_PARTS.intersection(p.relative_to(ROOT / addon).parts)
        and "static/tests" not in str(p)
    ]
    return _hash_files(files + [ROOT / "odoo.conf"]) + base_key(demo)[:6]


def _install(db, modules, demo, log_name):
    log = WORK / "log" / log_name
    log.parent.mkdir(parents=True, exist_ok=True)
    args = [
        "-d",
        db,
        "-i",
        ",".join(modules),
        "--stop-after-init",
        "--max-cron-threads=0",
        "--http-port",
        str(free_port()),
        "--log-level=warn",
    ]
    if not demo:
        args.append("--without-demo=all")
    with open(log, "w") as fh:
        proc = odoo(args, stdout=fh)
    text = log.read_text(errors="replace")
    if proc.returncode or " ERROR " in text or " CRITICAL " in text:
        print(text[-6000:], file=sys.stderr)
        drop(db)
        raise SystemExit(f"[scs] installing {', '.join(modules)} failed (log: {log})")


def _stale(prefix, keep):
    out = psql("SELECT datname FROM pg_database WHERE datname LIKE :'p0' || '%'", prefix)
    return [name for name in out.split() if name != keep]


def ensure_template(demo=False, rebuild=False):
    """Return the name of an up-to-date template with all our add-ons installed."""
    flavour = "demo" if demo else "nodemo"
    base = f"scs_base_{flavour}_{base_key(demo)}"
    tmpl = f"scs_tmpl_{flavour}_{addons_key(demo)}"
    if rebuild:
        drop(base)
        drop(tmpl)
    if db_exists(tmpl):
        say(f"reusing template database {tmpl}")
        return tmpl
    if not db_exists(base):
        for old in _stale(f"scs_base_{flavour}_", base):
            drop(old)
        say(
            f"building {base}: Odoo modules {', '.join(external_depends())} "
            f"({flavour}; a few minutes, once)"
        )
        _install(base, external_depends(), demo, f"install-{base}.log")
    for old in _stale(f"scs_tmpl_{flavour}_", tmpl):
        drop(old)
    say(f"building {tmpl}: our add-ons on top of {base}")
    clone(base, f"{tmpl}_part")
    _install(f"{tmpl}_part", ADDONS, demo, f"install-{tmpl}.log")
    # rename only once complete, so an interrupted build is never reused
    psql('ALTER DATABASE :"p0" RENAME TO :"p1"', f"{tmpl}_part", tmpl)
    part_store = DATA / "filestore" / f"{tmpl}_part"
    if part_store.exists():
        part_store.rename(DATA / "filestore" / tmpl)
    return tmpl
