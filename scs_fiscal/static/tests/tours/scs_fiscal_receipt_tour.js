/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import {registry} from "@web/core/registry";

// A cashier sells on a fiscal cash desk: the receipt prints the fiscal data and the QR code.
registry.category("web_tour.tours").add("scs_fiscal_receipt", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.addOrderline("Seat selection", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.totalIs("1,220.00"),
            PaymentScreen.clickPaymentMethod("Cash TST"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt prints the fiscal drive number",
                trigger:
                    ".pos-receipt .scs-fiscal-document:contains('FN'):contains('9999078900012345')",
            },
            {
                content: "the receipt prints the QR code",
                trigger: ".pos-receipt .scs-fiscal img[src*='barcode_type=QR']",
            },
            {
                content: "nothing is pending",
                trigger: ".pos-receipt .scs-fiscal:not(:has(.scs-fiscal-pending))",
            },
            ReceiptScreen.clickNextOrder(),
            ProductScreen.isShown(),
        ].flat(),
});
