/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/tours/utils/ticket_screen_util";
import {registry} from "@web/core/registry";

// the codes test_frontend.py gives the certificate and the customer's points card
const CERTIFICATE = "M9S3-46Q3-D25V-T4F5-V37K";
const POINTS_CARD = "EQR8-C258-FDS1-XZXR-ZCSY";

function typeCode(code) {
    return [
        {
            content: `type ${code} into the code popup`,
            trigger: ".modal:contains('Certificate or voucher code') textarea",
            run: `edit ${code}`,
        },
        {trigger: ".modal .modal-footer .btn-primary:contains('Apply')", run: "click"},
    ];
}

function receiptLine(content, selector, text) {
    return {content, trigger: `.pos-receipt ${selector}:contains('${text}')`};
}

// The customer is found by the number of their points card; a seat is paid with a
// 1,000.00 certificate and the rest by card; the refund gives the certificate its
// money back and the card its part; then a certificate is sold.
registry.category("web_tour.tours").add("scs_loyalty_certificate_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.addOrderline("Seat selection", "1"),
            ProductScreen.clickPartnerButton(),
            {
                content: "search the customer by the card number, typed in lower case",
                trigger: ".modal-dialog .input-group input",
                run: `edit ${POINTS_CARD.toLowerCase()}`,
            },
            {
                content: "only the card's customer is listed, with their points and certificates",
                trigger:
                    ".modal .partner-list:not(:has(.partner-info:contains('Petrov Pavel'))) .partner-info:contains('Ivanova Anna') .scs-loyalty-balances:contains('Points: 122'):contains('1,000.00')",
            },
            ProductScreen.clickCustomer("Ivanova Anna"),
            ProductScreen.clickPayButton(),
            PaymentScreen.totalIs("1,220.00"),
            PaymentScreen.clickPaymentMethod("Certificate TST"),
            typeCode(`${CERTIFICATE.slice(0, -1)}A`),
            {
                content: "a mistyped code is refused by the server, with its reason",
                trigger: ".modal:contains('wrong check character')",
            },
            Dialog.confirm(),
            {
                content: "and its line is gone",
                trigger: ".payment-screen:not(:has(.paymentline:contains('Certificate TST')))",
            },
            PaymentScreen.clickPaymentMethod("Certificate TST"),
            typeCode(CERTIFICATE.toLowerCase().replaceAll("-", " ")),
            {
                content: "the line takes what the certificate holds, and names it",
                trigger: `.paymentlines .paymentline .payment-infos:contains('Certificate TST'):has(.payment-amount:contains('1,000.00')) .scs-loyalty-card:contains('${CERTIFICATE}')`,
            },
            PaymentScreen.remainingIs("220.00"),
            PaymentScreen.clickPaymentMethod("Card TST"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            {trigger: ".modal .scs-rrn", run: "edit 612345678901"},
            {trigger: ".modal .scs-auth-code", run: "edit A1B2C3"},
            {trigger: ".modal .scs-last4", run: "edit 1234"},
            {trigger: ".modal .btn-primary", run: "click"},
            ReceiptScreen.isShown(),
            receiptLine(
                "the receipt prints the certificate's balance left",
                ".scs-loyalty-balance",
                `Gift certificates ${CERTIFICATE}: 0.00`
            ),
            receiptLine(
                "and the customer's points",
                ".scs-loyalty-balance",
                `Bonus miles ${POINTS_CARD}: 183 points`
            ),
            receiptLine("the points this sale earned", ".scs-loyalty-points", "Points earned: 61"),
            ReceiptScreen.clickNextOrder(),
            ...ProductScreen.clickRefund(),
            TicketScreen.selectOrderByPrice("1,220.00"),
            // the order's only line is selected already
            ProductScreen.clickNumpad("1"),
            TicketScreen.confirmRefund(),
            ProductScreen.clickPayButton(),
            {
                content: "the refund gives the certificate back its 1,000.00",
                trigger: `.paymentlines .paymentline .payment-infos:contains('Certificate TST'):has(.payment-amount:contains('1,000.00')) .scs-loyalty-card:contains('${CERTIFICATE}')`,
            },
            {
                content: "and the card its 220.00",
                trigger:
                    ".paymentlines .paymentline .payment-infos:contains('Card TST'):has(.payment-amount:contains('220.00'))",
            },
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            receiptLine(
                "the certificate holds its 1,000.00 again",
                ".scs-loyalty-balance",
                `Gift certificates ${CERTIFICATE}: 1,000.00`
            ),
            receiptLine(
                "the sale's points are taken back",
                ".scs-loyalty-points",
                "taken back: 61"
            ),
            ReceiptScreen.clickNextOrder(),
            // a certificate sold: its receipt prints the new code
            ProductScreen.addOrderline("Gift certificate", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash TST"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt prints the certificate's code, amount and validity",
                trigger:
                    ".pos-receipt .scs-loyalty-certificate:contains('Gift certificate '):contains('5,000.00'):contains('valid until')",
                run() {
                    const text = this.anchor.textContent;
                    if (!/[0-9A-Z]{4}(-[0-9A-Z]{4}){4}/.test(text)) {
                        throw new Error(`no certificate code in "${text}"`);
                    }
                },
            },
        ].flat(),
});

// Points pay for the customer of the order only: the cashier picks the customer by the
// card number (typed as read aloud, L for 1) and the points line takes what they may pay.
registry.category("web_tour.tours").add("scs_loyalty_points_tour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.addOrderline("Seat selection", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Points TST"),
            {
                content: "points need the order's customer",
                trigger: ".modal:contains('Choose the customer whose points pay')",
            },
            Dialog.confirm(),
            {
                content: "so no points line is added",
                trigger: ".payment-screen:not(:has(.paymentline:contains('Points TST')))",
            },
            {trigger: ".payment-screen button.partner-button", run: "click"},
            {
                content: "search the customer by the bare card number, L typed for 1",
                trigger: ".modal-dialog .input-group input",
                run: `edit ${POINTS_CARD.replaceAll("-", "").replace("1", "L")}`,
            },
            {
                trigger:
                    ".modal .partner-list:not(:has(.partner-info:contains('Petrov Pavel'))) .partner-info:contains('Ivanova Anna')",
            },
            {trigger: ".modal .search-more-button button", run: "click"},
            {
                content: "the server's search finds the card's customer too",
                trigger: ".o_notification:contains('1 customer(s) found')",
            },
            PaymentScreen.clickCustomer("Ivanova Anna"),
            PaymentScreen.clickPaymentMethod("Points TST"),
            {
                content: "the line takes the 122 points, worth 122.00, and names the card",
                trigger: `.paymentlines .paymentline .payment-infos:contains('Points TST'):has(.payment-amount:contains('122.00')) .scs-loyalty-card:contains('${POINTS_CARD}'):contains('122 points')`,
            },
            PaymentScreen.clickPaymentMethod("Cash TST"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            receiptLine(
                "the points left: 122 spent, 61 earned",
                ".scs-loyalty-balance",
                `Bonus miles ${POINTS_CARD}: 61 points`
            ),
            receiptLine("the points this sale earned", ".scs-loyalty-points", "Points earned: 61"),
        ].flat(),
});
