/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import {registry} from "@web/core/registry";

// The boarding pass of IVANOV IVAN MR, booking SCS001, as its barcode reads
const BOARDING_PASS = "M1IVANOV/IVAN MR      ESCS001 SVOLEDSU 1234 335Y012A0001 100";

/** Paid sales kept on the device, not yet on the server. */
function pendingSales() {
    const {orderToCreate, orderToUpdate} = window.posmodel.getPendingOrder();
    return [...orderToCreate, ...orderToUpdate].filter((order) => order.state !== "draft").length;
}

function paySlipByCard(rrn, offline = false) {
    return [
        ProductScreen.clickPayButton(),
        PaymentScreen.clickPaymentMethod("Card TST"),
        PaymentScreen.clickValidate(),
        {
            content: "the handheld terminal's slip: RRN and authorisation code first",
            trigger: ".modal .scs-rrn",
            run: `edit ${rrn}`,
        },
        {trigger: ".modal .scs-auth-code", run: "edit 7QX2K9"},
        {trigger: ".modal .scs-last4", run: "edit 4242"},
        {trigger: ".modal .btn-primary", run: "click"},
        ReceiptScreen.isShown(),
        offline ? Dialog.confirm("Continue with limited functionality") : [],
        ReceiptScreen.clickNextOrder(),
    ];
}

// An agent at the gate, on a phone: the passenger's boarding pass is scanned and
// the booking's extra services are paid by card; then the network drops, a seat is
// sold offline, and the order reaches the server once the connection is back.
registry.category("web_tour.tours").add("scs_pos_mobile_offline", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "the booking button stays at hand on a phone",
                trigger: ".scs-mobile-bar .o_scs_booking_button",
            },
            {
                content: "scan the boarding pass (camera or a scanner that types)",
                trigger: ".product-screen",
                run: () => window.posmodel.env.services.barcode_reader.scan(BOARDING_PASS),
            },
            {
                content: "the booking's extra services are in the order, not its ticket",
                trigger: ".btn-switchpane.pay-button:contains('2,090.00')",
            },
            ...paySlipByCard("612345678901"),
            {
                content: "the network drops",
                trigger: ".product-screen",
                run: () => window.dispatchEvent(new Event("offline")),
            },
            {trigger: ".pos-topheader .fa-chain-broken"},
            ProductScreen.clickDisplayedProduct("Seat selection"),
            ...paySlipByCard("612345678902", true),
            {
                content: "the offline sale waits on the phone",
                trigger: ".pos-topheader .fa-chain-broken",
                run: () => {
                    if (pendingSales() !== 1) {
                        throw new Error(`${pendingSales()} sales wait instead of 1`);
                    }
                },
            },
            {
                content: "the network is back",
                trigger: ".product-screen",
                run: () => window.dispatchEvent(new Event("online")),
            },
            {
                content: "the sale is sent without another order",
                trigger: ".pos-topheader:not(:has(.fa-chain-broken))",
                run: async () => {
                    for (let wait = 0; wait < 50 && pendingSales(); wait++) {
                        await new Promise((resolve) => setTimeout(resolve, 200));
                    }
                    if (pendingSales()) {
                        throw new Error("the offline sale was not sent");
                    }
                },
            },
        ].flat(),
});
