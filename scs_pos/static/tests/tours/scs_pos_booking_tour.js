/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import {registry} from "@web/core/registry";

// The cashier's promise: from the booking reference to the payment screen in
// three clicks (Booking, Apply, Payment), whatever the size of the booking.
const EXPECTED_CLICKS = 3;

function countClicks() {
    return [
        {
            content: "start counting the cashier's clicks",
            trigger: ".o_scs_booking_button",
            run() {
                window.scsClicks = 0;
                document.addEventListener("click", () => window.scsClicks++, true);
            },
        },
    ];
}

// The popup focuses its field: the cashier types (or scans) without a click.
function typeReference(reference) {
    return [
        {
            content: `type ${reference} into the focused field`,
            trigger: ".modal textarea:focus",
            run() {
                const field = document.querySelector(".modal textarea");
                field.value = reference;
                field.dispatchEvent(new Event("input", {bubbles: true}));
            },
        },
    ];
}

function assertClicks() {
    return [
        {
            content: `reached the payment screen in ${EXPECTED_CLICKS} clicks`,
            trigger: ".payment-screen",
            run() {
                if (window.scsClicks !== EXPECTED_CLICKS) {
                    throw new Error(
                        `booking to payment took ${window.scsClicks} clicks, expected ${EXPECTED_CLICKS}`
                    );
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("scs_pos_booking_one_click", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            countClicks(),
            {content: "Booking", trigger: ".o_scs_booking_button", run: "click"},
            typeReference("scs001"),
            {content: "Apply", trigger: ".modal .btn-primary", run: "click"},
            {
                content: "the ticket line is there, priced by the booking system",
                trigger:
                    ".order-container .orderline:contains('IVANOV IVAN MR, SCS001'):contains('18,500.00')",
            },
            {
                content: "the seat line is there",
                trigger:
                    ".order-container .orderline:contains('Seat selection'):contains('1,200.00')",
            },
            ProductScreen.totalAmountIs("20,590.00"),
            ProductScreen.clickPayButton(),
            assertClicks(),
            PaymentScreen.clickPaymentMethod("Cash TST"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});

registry.category("web_tour.tours").add("scs_pos_booking_refused", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {content: "Booking", trigger: ".o_scs_booking_button", run: "click"},
            typeReference("EUR001"),
            {content: "Apply", trigger: ".modal .btn-primary", run: "click"},
            {
                content: "the cashier is told why",
                trigger: ".modal:contains('Booking not added'):contains('EUR')",
            },
            {content: "close", trigger: ".modal .btn-primary", run: "click"},
            {
                content: "nothing was added",
                trigger: ".product-screen:not(:has(.orderline))",
            },
        ].flat(),
});

registry.category("web_tour.tours").add("scs_pos_bundle_for_passenger", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {content: "Booking", trigger: ".o_scs_booking_button", run: "click"},
            typeReference("SCS001"),
            {content: "Apply", trigger: ".modal .btn-primary", run: "click"},
            {
                content: "the booking is in the order",
                trigger: ".order-container .orderline:contains('IVANOV IVAN MR, SCS001')",
            },
            {
                content: "one click: Comfort",
                trigger: ".o_scs_bundle_button:contains('Comfort')",
                run: "click",
            },
            {
                content: "the bundle's baggage is added for the passenger",
                trigger:
                    ".order-container .orderline:contains('Excess baggage'):contains('IVANOV IVAN MR, SCS001')",
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash TST"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
        ].flat(),
});
