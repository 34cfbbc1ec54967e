/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/tours/utils/ticket_screen_util";
import {registry} from "@web/core/registry";

const TERMINAL = "Card terminal TST";

function sendToTerminal() {
    return [
        {
            content: "send the selected card line to the terminal of the proxy",
            trigger: ".paymentlines .electronic_payment .send_payment_request",
            run: "click",
        },
        {
            content: "the terminal approved",
            trigger: ".paymentlines .electronic_status:contains('Payment Successful')",
        },
    ];
}

/** The navbar shows the proxy's state (scs_pos puts Odoo's status button there). */
function proxyConnected(content, polled = false) {
    return [
        {
            content,
            trigger: ".pos",
            run: () => {
                const info = window.posmodel.hardwareProxy.connectionInfo;
                if (info.status !== "connected" || (polled && !info.drivers.scanner)) {
                    throw new Error(`the proxy is ${info.status}`);
                }
            },
        },
        {
            content: "the navbar shows the proxy connected, every device ready",
            trigger: ".pos-topheader .oe_status .js_connected",
        },
    ];
}

// An office desk whose card terminal and fiscal register sit behind the office PC's
// hardware proxy: a split card + cash sale, its receipt printed by the register, then
// the insurance refunded to the same card with its refund receipt.
registry.category("web_tour.tours").add("scs_fiscal_proxy_sale_and_refund", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            proxyConnected("the POS is paired with its proxy: the handshake took the token"),
            ProductScreen.addOrderline("Seat selection", "1"),
            ProductScreen.addOrderline("Travel insurance", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.totalIs("2,110.00"),
            PaymentScreen.clickPaymentMethod(TERMINAL),
            PaymentScreen.enterPaymentLineAmount(TERMINAL, "1500"),
            sendToTerminal(),
            PaymentScreen.clickPaymentMethod("Cash TST"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the register's fiscal data is on the receipt",
                trigger:
                    ".pos-receipt .scs-fiscal-document:contains('FN'):contains('9999078902012345')",
            },
            {
                content: "with the QR code, nothing pending",
                trigger:
                    ".pos-receipt .scs-fiscal:not(:has(.scs-fiscal-pending)) img[src*='barcode_type=QR']",
            },
            ReceiptScreen.clickNextOrder(),
            ...ProductScreen.clickRefund(),
            TicketScreen.selectOrderByPrice("2,110.00"),
            ProductScreen.clickLine("Travel insurance"),
            ProductScreen.clickNumpad("1"),
            TicketScreen.confirmRefund(),
            ProductScreen.clickPayButton(),
            {
                content: "the refund goes back to the card, by the sale's RRN",
                trigger: `.paymentlines .paymentline.selected .payment-infos:contains('${TERMINAL}'):has(.payment-amount:contains('890.00'))`,
            },
            {trigger: ".paymentlines .paymentline .scs-refund-of:contains('RRN 6000')"},
            sendToTerminal(),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the refund receipt is registered",
                trigger:
                    ".pos-receipt .scs-fiscal-document:contains('Fiscal refund receipt'):contains('9999078902012345')",
            },
            proxyConnected("the status poll took the token too", true),
            ReceiptScreen.clickNextOrder(),
            // mid-shift the cashier prints the register's counters
            Chrome.clickMenuOption("X Report"),
            {
                content: "the register printed the X report",
                trigger: ".modal:contains('printed the X report of the shift')",
            },
            Dialog.confirm(),
            // the session ends with the register's Z report and the terminal's day close
            Chrome.clickMenuOption("Close Register"),
            {
                content: "a cash difference needs its reason",
                trigger: ".close-pos-popup textarea.closing-notes",
                run: "edit The drawer is not counted in this test",
            },
            {
                content: "close the session",
                trigger: ".close-pos-popup .modal-footer button:contains('Close Register')",
                run: "click",
            },
            {
                content: "the drawer is not counted in this test: log the difference",
                trigger: ".modal:contains('Payments Difference') button:contains('Proceed Anyway')",
                run: "click",
            },
            {
                content: "the session is closed: the POS offers to open the next one",
                trigger: ".screen-login .btn.open-register-btn",
            },
        ].flat(),
});

// The terminal declines the first try, then takes the card; the register has no paper:
// the cashier is told each time, and leaves the receipt for later.
registry.category("web_tour.tours").add("scs_fiscal_proxy_refusals", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.addOrderline("Seat selection", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod(TERMINAL),
            {
                trigger: ".paymentlines .electronic_payment .send_payment_request",
                run: "click",
            },
            {
                content: "the cashier reads the terminal's refusal",
                trigger:
                    ".modal:contains('Card payment declined'):contains('Недостаточно средств'):contains('4451')",
            },
            Dialog.confirm(),
            {
                content: "the line can be sent again: a new request",
                trigger: ".paymentlines .electronic_status:contains('Transaction cancelled')",
            },
            sendToTerminal(),
            PaymentScreen.clickValidate(),
            {
                content: "the register is out of paper",
                trigger: ".modal:contains('Fiscal receipt not printed'):contains('out of paper')",
            },
            {trigger: ".modal .modal-footer .btn-secondary:contains('Later')", run: "click"},
            ReceiptScreen.isShown(),
            {
                content: "the receipt says its fiscal receipt is pending",
                trigger: ".pos-receipt .scs-fiscal .scs-fiscal-pending",
            },
        ].flat(),
});
