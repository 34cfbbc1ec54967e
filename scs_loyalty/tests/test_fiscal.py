# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Certificates, vouchers and points on a fiscal cash desk: a certificate's sale is an
advance (1214=3, subject 10, 22/122), its redemption a prepayment offset (1215); every
scenario's documents are fiscalized and must agree with their orders."""

from odoo.tests import tagged

from odoo.addons.scs_fiscal.tests.common import AgreementOverScenarios, FiscalCloudMixin

from . import test_certificates, test_points, test_vouchers
from .common import ScsLoyaltyCommon


@tagged("post_install", "-at_install")
class TestCertificateReceipts(FiscalCloudMixin, ScsLoyaltyCommon):
    def setUp(self):
        super().setUp()
        self.session = self.open_session()

    def test_sale_is_an_advance_redemption_a_prepayment_offset(self):
        order, card = self.sell_certificate()
        sale = order.scs_fiscal_document_ids.payload
        (item,) = sale["1059"]
        self.assertEqual(
            (item["1212"], item["1214"], item["1199"], item["1200"], sale["1031"]),
            (10, 3, 12, 90164, 500000),
        )
        paid = self.sync(
            self.order_payload(
                [(self.seat, 1220.0, 2)],
                payments=[
                    self.loyalty_payment(self.pm_certificate, 2000.0, card),
                    self.payment_vals(self.pm_card, 440.0),
                ],
            )
        )
        receipt = paid.scs_fiscal_document_ids.payload
        self.assertEqual(
            (receipt["1215"], receipt["1081"], receipt["1020"]), (200000, 44000, 244000)
        )
        self.assertEqual({i["1214"] for i in receipt["1059"]}, {4})
        refund = self.sync(
            self.refund_payload(
                [(paid.lines, 1)], payments=[self.loyalty_payment(self.pm_certificate, -1220.0)]
            ),
            user=self.manager,
        )
        back = refund.scs_fiscal_document_ids.payload
        self.assertEqual((back["1054"], back["1215"], back["1020"]), (2, 122000, 122000))
        documents = (order | paid | refund).scs_fiscal_document_ids
        self.fiscalize(documents)
        self.assertAgreement(documents)


@tagged("post_install", "-at_install")
class TestAgreementCertificates(AgreementOverScenarios, test_certificates.TestCertificates):
    pass


@tagged("post_install", "-at_install")
class TestAgreementVouchers(AgreementOverScenarios, test_vouchers.TestVouchers):
    pass


@tagged("post_install", "-at_install")
class TestAgreementPoints(AgreementOverScenarios, test_points.TestPoints):
    pass
