# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sign-in through the directory, against a real OpenLDAP server (slapd) on loopback."""

import contextlib
import datetime
from types import SimpleNamespace
from unittest.mock import patch

import ldap

from odoo import Command, fields
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.service import security
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, config, mute_logger

from .common import ScsPosCommon
from .ldap_server import SERVICE_DN, LdapServer, free_port

PEOPLE = "ou=people,dc=scs,dc=test"
GROUPS = "ou=groups,dc=scs,dc=test"
CASHIERS = f"cn=scs-irk-cashiers,{GROUPS}"
MANAGERS = f"cn=scs-irk-managers,{GROUPS}"
SERVICE_PASSWORD = "Service-pw-1"
PASSWORDS = {
    "irk.cashier": "Cashier-pw-1",
    "irk.manager": "Manager-pw-1",
    "irk.mover": "Mover-pw-1",
    "irk.disabled": "Disabled-pw-1",
    "irk.agent": "Agent-pw-1",
    "irk.leaver": "Leaver-pw-1",
    "irk.gone": "Gone-pw-1",
    "irk.pilot": "Pilot-pw-1",
}
TEST_KEY = "scs-test-secret-key-of-the-ldap-tests"
LOGGER = "odoo.addons.scs_pos.models.res_company_ldap"


def _dn(login):
    return f"uid={login},{PEOPLE}"


@tagged("post_install", "-at_install")
class TestLdap(ScsPosCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.dict(config.options, {"scs_secret_key": TEST_KEY}))
        cls.directory = LdapServer().start()
        cls.addClassCleanup(cls.directory.stop)
        # auth_ldap signs in on cursors of its own: in test mode they share the test's
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)

        cls.irk = cls.env["scs.office"].create(
            {"name": "Irkutsk", "code": "IRK", "tz": "Asia/Irkutsk", "company_id": cls.company.id}
        )
        cls.pos_config.scs_office_id = cls.irk
        cls.server = cls.env["res.company.ldap"].create(
            {
                "company": cls.company.id,
                "ldap_server": "127.0.0.1",
                "ldap_server_port": cls.directory.port,
                "ldap_binddn": SERVICE_DN,
                "ldap_password": SERVICE_PASSWORD,
                "ldap_base": PEOPLE,
                "ldap_filter": "(&(objectClass=inetOrgPerson)(uid=%s)(!(description=disabled)))",
                "scs_group_base": GROUPS,
                "create_user": True,
                "scs_group_map_ids": [
                    Command.create(
                        {"group_dn": CASHIERS, "role": "cashier", "office_ids": cls.irk.ids}
                    ),
                    Command.create(
                        {
                            "group_dn": "SCS-IRK-Managers",  # a bare CN, in any case
                            "role": "manager",
                            "office_ids": (cls.irk | cls.office).ids,
                        }
                    ),
                ],
            }
        )
        cls.pos_config.with_user(cls.cashier).open_ui()
        cls.session = cls.pos_config.current_session_id
        cls.group = ("cashier", "manager", "accountant", "admin")

    # helpers

    def sign_in(self, login, password=None):
        """Sign in as the login form does; returns the user."""
        credential = {"type": "password", "login": login, "password": password}
        if password is None:
            credential["password"] = PASSWORDS[login]
        auth = self.registry["res.users"].authenticate(
            self.env.cr.dbname, credential, {"interactive": True}
        )
        self.env.invalidate_all()
        self.assertEqual(auth["auth_method"], "ldap")
        return self.env["res.users"].browse(auth["uid"])

    def assertRefused(self, login, password=None):
        with self.assertRaises(AccessDenied):
            self.sign_in(login, password)
        self.assertFalse(self.env["res.users"].search([("login", "=", login)]))

    def assertRole(self, user, role, offices):
        """``role`` and the roles it implies, none else; exactly ``offices``."""
        implied = {"cashier": {"cashier"}, "manager": {"cashier", "manager"}}[role]
        for name in self.group:
            self.assertEqual(user.has_group(f"scs_pos.group_scs_{name}"), name in implied, name)
        self.assertEqual(self.env["scs.office"].search([("user_ids", "in", user.id)]), offices)

    def move(self, login, from_group, to_group):
        """Move ``login`` between groups (a no-op for a move already made)."""
        member = _dn(login).encode()
        for group, change in ((from_group, ldap.MOD_DELETE), (to_group, ldap.MOD_ADD)):
            # a move already made: the directory says so, and nothing is left to do
            with contextlib.suppress(ldap.NO_SUCH_ATTRIBUTE, ldap.TYPE_OR_VALUE_EXISTS):
                self.directory.modify(group, [(change, "member", [member])])

    def disable(self, login):
        self.directory.modify(_dn(login), [(ldap.MOD_ADD, "description", [b"disabled"])])
        self.addCleanup(
            self.directory.modify, _dn(login), [(ldap.MOD_DELETE, "description", [b"disabled"])]
        )

    def stale(self, user):
        """As if the user's last directory check were long ago."""
        user.sudo().scs_ldap_checked_at = fields.Datetime.now() - datetime.timedelta(hours=1)
        self.env.flush_all()

    def sync_as(self, user):
        payload = self.order_payload([(self.seat, 1220.0, 1)], session=self.session, user=user)
        return self.sync(payload, user=user)

    # sign-in

    def test_cashier_signs_in_with_role_and_office(self):
        user = self.sign_in("irk.cashier")
        self.assertEqual(user.name, "Irina Kassirova")
        self.assertRole(user, "cashier", self.irk)
        self.assertTrue(user.has_group("base.group_user"))
        self.assertFalse(user.has_group("point_of_sale.group_pos_manager"))
        self.assertFalse(user.has_group("account.group_account_manager"))
        self.assertEqual(user.sudo().scs_ldap_dn, _dn("irk.cashier"))
        self.env.cr.execute(SQL("SELECT password FROM res_users WHERE id = %s", user.id))
        self.assertFalse(self.env.cr.fetchone()[0], "no local password is kept")
        messages = user.partner_id.message_ids
        self.assertIn("SCS Cashier", messages[:1].body)
        # signing in again takes auth_ldap's other path (_check_credentials)
        self.assertEqual(self.sign_in("irk.cashier"), user)
        self.assertRole(user, "cashier", self.irk)
        self.assertEqual(user.partner_id.message_ids, messages, "nothing changed, no note")

    def test_manager_signs_in_with_role_and_offices(self):
        user = self.sign_in("irk.manager")
        self.assertRole(user, "manager", self.irk | self.office)
        self.assertTrue(user.has_group("point_of_sale.group_pos_manager"))

    def test_directory_group_decides_the_role_at_each_sign_in(self):
        self.addCleanup(self.move, "irk.mover", MANAGERS, CASHIERS)
        user = self.sign_in("irk.mover")
        self.assertRole(user, "cashier", self.irk)
        self.move("irk.mover", CASHIERS, MANAGERS)
        self.assertEqual(self.sign_in("irk.mover"), user)
        self.assertRole(user, "manager", self.irk | self.office)
        self.move("irk.mover", MANAGERS, CASHIERS)
        extra = self.env.ref("hr.group_hr_user")  # given in Odoo, not by the directory
        user.groups_id += extra
        self.sign_in("irk.mover")
        self.assertRole(user, "cashier", self.irk)
        self.assertFalse(user.has_group("point_of_sale.group_pos_manager"))
        self.assertIn(extra, user.groups_id)

    def test_wrong_password_refused(self):
        self.assertRefused("irk.agent", "not-her-password")
        self.assertRefused("irk.agent", "")

    def test_disabled_user_refused(self):
        self.assertRefused("irk.disabled")

    def test_user_in_no_mapped_group_refused(self):
        with self.assertLogs(LOGGER, "WARNING") as logs:
            self.assertRefused("irk.pilot")
        self.assertIn("member of no directory group mapped to an SCS role", logs.output[0])

    # disabled after signing in

    @mute_logger(LOGGER)
    def test_user_disabled_later_is_deactivated_at_sync(self):
        user = self.sign_in("irk.leaver")
        self.assertEqual(self.sync_as(user).state, "paid")
        sid = "a" * 42
        token = security.compute_session_token(SimpleNamespace(sid=sid, uid=user.id), self.env)
        self.disable("irk.leaver")
        # checked at sign-in a moment ago: the sync does not ask the directory again
        self.assertEqual(self.sync_as(user).state, "paid")
        self.stale(user)
        # no assertRaises: its savepoint would undo what the check committed
        try:
            self.sync_as(user)
        except UserError as e:
            self.assertIn("disabled in the company directory", str(e))
        else:
            self.fail("the sync of a disabled user went through")
        self.env.invalidate_all()
        self.assertFalse(user.active)
        self.assertIn("Deactivated", user.partner_id.message_ids[:1].body)
        # their open web sessions no longer pass the session check
        session = SimpleNamespace(sid=sid, uid=user.id, session_token=token)
        self.assertFalse(security.check_session(session, self.env))
        self.assertRaises(AccessDenied, self.sign_in, "irk.leaver")

    @mute_logger(LOGGER)
    def test_cron_deactivates_users_gone_from_directory(self):
        user = self.sign_in("irk.gone")
        cashier = self.sign_in("irk.cashier")
        entry = self.directory.entry(_dn("irk.gone"))
        self.directory.delete(_dn("irk.gone"))
        self.addCleanup(self.directory.add, _dn("irk.gone"), entry)
        self.env.ref("scs_pos.ir_cron_scs_ldap_check").method_direct_trigger()
        self.env.invalidate_all()
        self.assertFalse(user.active)
        self.assertTrue(cashier.active)

    def test_directory_unreachable_deactivates_nobody(self):
        user = self.sign_in("irk.leaver")
        self.disable("irk.leaver")
        self.server.ldap_server_port = free_port()  # nothing listens there
        self.stale(user)
        with self.assertLogs(LOGGER, "WARNING") as logs:
            self.env["res.users"]._scs_cron_directory_check()
            self.stale(user)
            order = self.sync_as(user)
        self.assertIn("unreachable", logs.output[0])
        self.assertEqual(order.state, "paid", "the sale goes on")
        self.env.invalidate_all()
        self.assertTrue(user.active)

    def test_service_account_that_reads_nothing_deactivates_nobody(self):
        user = self.sign_in("irk.cashier")
        self.server.ldap_binddn = False  # anonymous: the directory shows it nothing
        with self.assertLogs(LOGGER, "WARNING") as logs:
            self.env["res.users"]._scs_cron_directory_check()
        self.assertIn("unreachable", logs.output[0])
        self.env.invalidate_all()
        self.assertTrue(user.active)

    # the service account's password and the mapping

    def test_bind_password_stored_encrypted(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT ldap_password, scs_ldap_password_encrypted "
                "FROM res_company_ldap WHERE id = %s",
                self.server.id,
            )
        )
        plain, sealed = self.env.cr.fetchone()
        self.assertFalse(plain)
        self.assertTrue(sealed)
        self.assertNotIn(SERVICE_PASSWORD, sealed)
        self.assertFalse(self.server.ldap_password, "write-only")
        self.assertTrue(self.server.scs_ldap_password_set)
        (conf,) = self.env["res.company.ldap"]._get_ldap_dicts()
        self.assertEqual(conf["ldap_password"], SERVICE_PASSWORD)
        # a wrong key decrypts nothing (and says so)
        with (
            patch.dict(config.options, {"scs_secret_key": "another-key-of-enough-length"}),
            self.assertLogs(LOGGER, "ERROR"),
        ):
            (conf,) = self.env["res.company.ldap"]._get_ldap_dicts()
        self.assertEqual(conf["ldap_password"], "")

    def test_bind_password_needs_the_secret_key(self):
        with patch.dict(config.options, {"scs_secret_key": False}):
            with self.assertRaisesRegex(UserError, "scs_secret_key"):
                self.server.ldap_password = "Another-pw-2"
            # no password to keep: nothing to encrypt
            self.server.ldap_password = False
        self.assertFalse(self.server.scs_ldap_password_set)

    def test_clear_password_of_auth_ldap_encrypted_at_update(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_company_ldap SET ldap_password = %s, "
                "scs_ldap_password_encrypted = NULL WHERE id = %s",
                "Old-clear-pw",
                self.server.id,
            )
        )
        self.env["res.company.ldap"].init()
        self.env.invalidate_all()
        self.env.cr.execute(SQL("SELECT count(*) FROM res_company_ldap WHERE ldap_password != ''"))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        (conf,) = self.env["res.company.ldap"]._get_ldap_dicts()
        self.assertEqual(conf["ldap_password"], "Old-clear-pw")

    def test_only_administrators_change_the_mapping(self):
        Map = self.env["scs.ldap.group.map"]
        line = self.server.scs_group_map_ids[:1]
        for user in (self.cashier, self.manager, self.accountant):
            with self.assertRaises(AccessError):
                Map.with_user(user).search([])
            with self.assertRaises(AccessError):
                line.with_user(user).role = "admin"
        system = new_test_user(
            self.env,
            login="tst.system",
            groups="base.group_user,base.group_system",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertEqual(Map.with_user(system).search([]), self.server.scs_group_map_ids)
        with self.assertRaises(AccessError):
            line.with_user(system).role = "admin"
        line.with_user(self.scs_admin).role = "accountant"
        self.assertEqual(line.role, "accountant")
