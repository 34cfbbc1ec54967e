# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A throw-away OpenLDAP server (Debian's slapd) on loopback for the LDAP tests.

It runs from a temporary folder with its own slapd.conf and mdb database, loaded
from tests/data/ldap/scs_directory.ldif with slapadd; the system's slapd instance
is not used. Install it with: apt-get install slapd ldap-utils.
"""

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import ldap

SUFFIX = "dc=scs,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
SERVICE_DN = f"cn=svc-odoo,ou=services,{SUFFIX}"
LDIF = Path(__file__).parent / "data" / "ldap" / "scs_directory.ldif"
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")
SBIN = ("/usr/sbin", "/usr/local/sbin", "/usr/bin")


def _tool(name):
    found = shutil.which(name) or next(
        (f"{d}/{name}" for d in SBIN if os.access(f"{d}/{name}", os.X_OK)), None
    )
    if not found:
        raise RuntimeError(
            f"{name} is missing: the LDAP sign-in tests need OpenLDAP's server. "
            "Install it with: sudo apt-get install slapd ldap-utils (tools/setup.sh does "
            "it when run as root)."
        )
    return found


def ssha(password):
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LdapServer:
    def __init__(self):
        self.folder = None
        self.port = free_port()
        self.uri = f"ldap://127.0.0.1:{self.port}/"
        self.root_password = base64.urlsafe_b64encode(os.urandom(12)).decode()
        self.proc = None

    def start(self):
        slapd, slapadd = _tool("slapd"), _tool("slapadd")
        self.folder = Path(tempfile.mkdtemp(prefix="scs-slapd-"))
        db = self.folder / "db"
        db.mkdir()
        schemas = "".join(f"include /etc/ldap/schema/{name}.schema\n" for name in SCHEMAS)
        modules = next(
            (
                d
                for d in ("/usr/lib/ldap", "/usr/lib64/openldap", "/usr/lib/openldap")
                if Path(d, "back_mdb.la").exists() or Path(d, "back_mdb.so").exists()
            ),
            None,
        )
        conf = self.folder / "slapd.conf"
        conf.write_text(
            schemas
            + f"pidfile {self.folder}/slapd.pid\n"
            + f"argsfile {self.folder}/slapd.args\n"
            + (f"modulepath {modules}\nmoduleload back_mdb\n" if modules else "")
            + "database mdb\n"
            + "maxsize 16777216\n"
            + f'suffix "{SUFFIX}"\n'
            + f'rootdn "{ROOT_DN}"\n'
            + f"rootpw {ssha(self.root_password)}\n"
            + f"directory {db}\n"
            + "access to attrs=userPassword by anonymous auth by self write by * none\n"
            + f'access to * by dn.exact="{SERVICE_DN}" read by self read by * none\n'
        )
        load = subprocess.run(
            [slapadd, "-f", str(conf), "-l", str(LDIF)],
            capture_output=True,
            text=True,
            check=False,
        )
        if load.returncode:
            raise RuntimeError(f"slapadd failed: {load.stderr.strip()}")
        self.log = open(self.folder / "slapd.log", "w")  # noqa: SIM115 - closed in stop()
        # -d 0: stay in the foreground, so that stop() kills the very process
        self.proc = subprocess.Popen(
            [slapd, "-d", "0", "-h", self.uri, "-f", str(conf)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                self.connect().unbind_s()
                return self
            except ldap.LDAPError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"slapd did not start: {(self.folder / 'slapd.log').read_text()}"
                    ) from None
                time.sleep(0.1)

    def connect(self):
        """A connection bound as the directory's root (to change it in a test)."""
        conn = ldap.initialize(self.uri)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 2)
        conn.simple_bind_s(ROOT_DN, self.root_password)
        return conn

    def modify(self, dn, changes):
        conn = self.connect()
        try:
            conn.modify_s(dn, changes)
        finally:
            conn.unbind_s()

    def entry(self, dn):
        conn = self.connect()
        try:
            return conn.search_s(dn, ldap.SCOPE_BASE)[0][1]
        finally:
            conn.unbind_s()

    def add(self, dn, attrs):
        conn = self.connect()
        try:
            conn.add_s(dn, list(attrs.items()))
        finally:
            conn.unbind_s()

    def delete(self, dn):
        conn = self.connect()
        try:
            conn.delete_s(dn)
        finally:
            conn.unbind_s()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
