# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command

from odoo.addons.scs_fiscal.emulators.atol_server import AtolApp, serve_in_thread
from odoo.addons.scs_pos.tests.common import ScsPosCommon


class FiscalCloudMixin:
    """A cloud register on the test cash desk, served by the local ATOL emulator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.atol = AtolApp(done_after=1)
        cls.atol_server, url = serve_in_thread(cls.atol)
        cls.addClassCleanup(cls.atol_server.shutdown)
        cls.env["ir.config_parameter"].sudo().set_param("scs_fiscal.timeout", 1)
        cls.register = cls.env["scs.fiscal.register"].create(
            {
                "name": "TST cloud",
                "company_id": cls.company.id,
                "kind": "cloud",
                "inn": "3811098765",
                "email": "kassa@scs-airlines.example",
                "payment_address": "Irkutsk, Airport, desk 1",
                "tz": "Europe/Moscow",
                "cloud_url": url,
                "cloud_group": cls.atol.group_code,
                "cloud_login": cls.atol.login,
                "cloud_password": cls.atol.password,
            }
        )
        cls.pos_config.scs_fiscal_register_id = cls.register

    def fiscalize(self, documents, steps=8):
        """Run the queue on ``documents`` until none is open (the test's clock ignores
        the back-off)."""
        for _step in range(steps):
            pending = documents.filtered(lambda d: d.state in ("to_send", "sent", "unknown"))
            if not pending:
                break
            pending._scs_advance(force=True)
        return documents

    def assertAgreement(self, documents):
        for document in documents:
            self.assertFalse(document.build_error, document.last_error)
            self.assertEqual(document.state, "done", document.last_error)
        found = documents._scs_check_agreement()
        self.assertEqual(
            {
                doc.name: [str(m) for m in mismatches]
                for doc, mismatches in found.items()
                if mismatches
            },
            {},
        )


class FiscalCommon(FiscalCloudMixin, ScsPosCommon):
    pass


def local_register(case, payment_address, tz):
    """A local register of the case's company, set on its cash desk."""
    register = case.env["scs.fiscal.register"].create(
        {
            "name": "TST local",
            "company_id": case.company.id,
            "kind": "local",
            "inn": "3811098765",
            "email": "kassa@scs-airlines.example",
            "payment_address": payment_address,
            "tz": tz,
        }
    )
    case.pos_config.scs_fiscal_register_id = register
    return register


class LocalRegisterCommon(ScsPosCommon):
    """A cash desk whose register and card terminal sit behind the office PC's proxy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.register = local_register(cls, "Irkutsk, Airport, desk 1", "Asia/Irkutsk")
        terminal_journal = cls.env["account.journal"].create(
            {
                "name": "Card terminal TST",
                "code": "CTTST",
                "type": "bank",
                "company_id": cls.company.id,
                "default_account_id": cls.chart.ref("ru_57_03").id,
            }
        )
        cls.pm_terminal = cls.env["pos.payment.method"].create(
            {
                "name": "Card terminal TST",
                "journal_id": terminal_journal.id,
                "company_id": cls.company.id,
                "use_payment_terminal": "scs_proxy",
            }
        )
        cls.pos_config.payment_method_ids = [Command.link(cls.pm_terminal.id)]


class AgreementOverScenarios(FiscalCloudMixin):
    """Mixed into another add-on's scenario tests: after each test, every fiscal
    document its orders produced is fiscalized and must agree with its order."""

    # Odoo's loader runs only the methods a class defines unless told otherwise
    allow_inherited_tests_method = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scs_checked_documents = 0

    @classmethod
    def tearDownClass(cls):
        # the scenarios must have produced documents, or this check proved nothing
        assert cls.scs_checked_documents, f"{cls.__name__}: no fiscal document was checked"
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        last = self.env["scs.fiscal.document"].search([], order="id desc", limit=1)
        self._scs_first_document = last.id or 0

    def tearDown(self):
        documents = self.env["scs.fiscal.document"].search(
            [("id", ">", self._scs_first_document), ("order_id", "!=", False)]
        )
        if documents:
            self.fiscalize(documents)
            self.assertAgreement(documents)
            type(self).scs_checked_documents += len(documents)
        super().tearDown()
