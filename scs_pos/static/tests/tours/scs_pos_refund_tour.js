/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/tours/utils/ticket_screen_util";
import {ConnectionLostError} from "@web/core/network/rpc";
import {registry} from "@web/core/registry";

/** Open the desk and take the insurance of the 2,110.00 order into a refund. */
function refundInsurance() {
    return [
        Chrome.startPoS(),
        Dialog.confirm("Open Register"),
        ...ProductScreen.clickRefund(),
        TicketScreen.selectOrderByPrice("2,110.00"),
        ProductScreen.clickLine("Travel insurance"),
        ProductScreen.clickNumpad("1"),
    ];
}

// The insurance of an order paid by card 1,500 and cash 610 is refunded: the POS proposes
// the card first; the customer wants cash, so card money goes out as cash with a PIN.
registry.category("web_tour.tours").add("scs_pos_partial_refund", {
    steps: () =>
        [
            ...refundInsurance(),
            TicketScreen.toRefundTextContains("To Refund: 1.00"),
            TicketScreen.confirmRefund(),
            ProductScreen.clickPayButton(),
            {
                content: "the proposed split gives the refund back to the card",
                trigger:
                    ".paymentlines .paymentline .payment-infos:contains('Card TST'):has(.payment-amount:contains('890.00'))",
            },
            {
                content: "it names the card by the original payment's RRN",
                trigger: ".paymentlines .paymentline .scs-refund-of:contains('RRN 100000000001')",
            },
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickPaymentlineDelButton("Card TST", "890.00"),
            PaymentScreen.clickPaymentMethod("Cash TST"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            {
                content: "card money beyond the cash paid needs a manager",
                trigger: ".modal .scs-approval-need:contains('280.00')",
            },
            {trigger: ".modal .scs-reason", run: "edit Card blocked by the bank"},
            {
                content: "no manager at the desk: ask one remotely",
                trigger: ".modal .scs-ask-remotely",
                run: "click",
            },
            {trigger: ".modal .scs-approval-waiting"},
            {
                content: "a manager came to the desk after all",
                trigger: ".modal .scs-withdraw",
                run: "click",
            },
            {trigger: ".modal .scs-pin", run: "edit 0000"},
            {trigger: ".modal .scs-approve", run: "click"},
            {trigger: ".modal .scs-approval-error:contains('Wrong PIN')"},
            {trigger: ".modal .scs-pin", run: "edit 4321"},
            {trigger: ".modal .scs-approve", run: "click"},
            ReceiptScreen.isShown(),
        ].flat(),
});

// The connection drops during a refund: the POS refuses to pay it out.
registry.category("web_tour.tours").add("scs_pos_offline_refund_refused", {
    steps: () =>
        [
            ...refundInsurance(),
            TicketScreen.confirmRefund(),
            {
                content: "the server cannot be reached any more",
                trigger: ".product-screen",
                run: () => {
                    window.posmodel.data.scsCall = window.posmodel.data.call;
                    window.posmodel.data.call = async () => {
                        throw new ConnectionLostError("/web/dataset/call_kw");
                    };
                },
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash TST"),
            PaymentScreen.clickValidate(),
            {
                content: "a refund needs the server",
                trigger: ".modal:contains('A refund needs the connection to the server')",
            },
            Dialog.confirm(),
            PaymentScreen.isShown(),
            {
                content: "the connection is back",
                trigger: ".payment-screen",
                run: () => {
                    window.posmodel.data.call = window.posmodel.data.scsCall;
                },
            },
        ].flat(),
});
