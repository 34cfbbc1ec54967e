# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ScsPosCommon


@tagged("post_install", "-at_install")
class TestProxyPairing(ScsPosCommon):
    """The pairing token the POS sends to its hardware proxy, and the proxy's terminal."""

    def test_administrator_generates_the_pairing_token(self):
        config = self.pos_config.with_user(self.scs_admin)
        self.assertTrue(config.action_scs_generate_proxy_token())
        token = self.pos_config.scs_proxy_token
        self.assertGreaterEqual(len(token), 32)
        config.action_scs_generate_proxy_token()
        self.assertNotEqual(self.pos_config.scs_proxy_token, token)
        # a copied desk is another desk: it is paired on its own
        self.assertNotIn("scs_proxy_token", self.pos_config.copy_data()[0])

    def test_only_an_administrator_pairs(self):
        for user in (self.cashier, self.manager):
            config = self.pos_config.with_user(user)
            with self.assertRaises(AccessError):
                config.action_scs_generate_proxy_token()
            with self.assertRaises(AccessError):
                config.write({"scs_proxy_token": "t" * 40})
        self.assertFalse(self.pos_config.scs_proxy_token)
        # what Odoo's POS writes on its desk is still allowed
        self.pos_config.with_user(self.cashier).write({"iface_tipproduct": False})

    def test_token_must_suit_the_proxy(self):
        for token in ("short", "t" * 20 + " " + "t" * 20, "т" * 40):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.pos_config.scs_proxy_token = token
        self.pos_config.scs_proxy_token = "Aa0-_" * 8
        self.assertEqual(len(self.pos_config.scs_proxy_token), 40)

    def test_form_shows_the_token_to_administrators_only(self):
        Config = self.env["pos.config"]
        admin_arch = Config.with_user(self.scs_admin).get_views([(False, "form")])["views"]
        manager_arch = Config.with_user(self.manager).get_views([(False, "form")])["views"]
        self.assertIn("action_scs_generate_proxy_token", admin_arch["form"]["arch"])
        self.assertIn('name="proxy_ip"', manager_arch["form"]["arch"])
        self.assertNotIn("scs_proxy_token", manager_arch["form"]["arch"])

    def test_pos_loads_the_token_and_the_terminal_fields(self):
        self.pos_config.with_user(self.scs_admin).action_scs_generate_proxy_token()
        self.pos_config.with_user(self.cashier).open_ui()
        session = self.pos_config.current_session_id.with_user(self.cashier)
        data = session.load_data(["pos.config", "pos.order", "pos.payment", "pos.payment.method"])
        config = data["pos.config"]["data"][0]
        self.assertEqual(config["scs_proxy_token"], self.pos_config.scs_proxy_token)
        self.assertIn("proxy_ip", config)
        self.assertIn("scs_terminal_request_id", data["pos.payment"]["relations"])
        self.assertIn("use_payment_terminal", data["pos.payment.method"]["fields"])

    def test_proxy_terminal_takes_cards_only(self):
        Method = self.env["pos.payment.method"]
        selection = dict(Method._fields["use_payment_terminal"]._description_selection(self.env))
        self.assertEqual(selection.get("scs_proxy"), "Card terminal via SCS proxy")
        bank = self.env["account.journal"].create(
            {"name": "Bank TST2", "code": "BKTS2", "type": "bank", "company_id": self.company.id}
        )
        card = Method.create(
            {
                "name": "Terminal TST",
                "journal_id": bank.id,
                "company_id": self.company.id,
                "use_payment_terminal": "scs_proxy",
            }
        )
        self.assertEqual(card.scs_tender_kind, "card")
        with self.assertRaisesRegex(ValidationError, "card payments only"):
            card.scs_tender_kind = "other"
        cash_journal = self.env["account.journal"].create(
            {"name": "Cash TST2", "code": "CSTS2", "type": "cash", "company_id": self.company.id}
        )
        with self.assertRaisesRegex(ValidationError, "card payments only"):
            Method.create(
                {
                    "name": "Cash terminal",
                    "journal_id": cash_journal.id,
                    "company_id": self.company.id,
                    "use_payment_terminal": "scs_proxy",
                }
            )
