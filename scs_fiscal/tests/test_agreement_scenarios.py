# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every order scenario of the other add-ons, run again on a fiscal cash desk: each
fiscal document they produce is fiscalized and must agree with its order."""

from odoo.tests import tagged

from odoo.addons.scs_pos.tests import (
    test_order_sync,
    test_refund,
    test_sales_report,
    test_session_close,
)

from .common import AgreementOverScenarios


@tagged("post_install", "-at_install")
class TestAgreementOrderSync(AgreementOverScenarios, test_order_sync.TestOrderSync):
    pass


@tagged("post_install", "-at_install")
class TestAgreementRefunds(AgreementOverScenarios, test_refund.TestTendersAndRefunds):
    pass


@tagged("post_install", "-at_install")
class TestAgreementSessionClose(AgreementOverScenarios, test_session_close.TestSessionClose):
    pass


@tagged("post_install", "-at_install")
class TestAgreementSalesReport(AgreementOverScenarios, test_sales_report.TestSalesReport):
    pass
