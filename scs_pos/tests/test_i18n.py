# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRussianTranslation(TransactionCase):
    def test_ru_po_loads(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._load_module_terms(
            ["scs_pos", "l10n_ru_scs"], ["ru_RU"], overwrite=True
        )
        group = self.env.ref("scs_pos.group_scs_cashier").with_context(lang="ru_RU")
        self.assertEqual(group.name, "Кассир SCS")
        field = self.env["ir.model.fields"]._get("scs.office", "tz").with_context(lang="ru_RU")
        self.assertEqual(field.field_description, "Часовой пояс")
