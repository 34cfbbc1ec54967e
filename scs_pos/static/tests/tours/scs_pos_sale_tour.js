/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import {registry} from "@web/core/registry";

// A cashier sells an own service and an agent service, paid part by card and part in
// cash with change; the card slip's details are typed in before the order is done.
registry.category("web_tour.tours").add("scs_pos_sale_cash_card", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.addOrderline("Seat selection", "1"),
            ProductScreen.addOrderline("Travel insurance", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.totalIs("2,110.00"),
            PaymentScreen.clickPaymentMethod("Card TST"),
            PaymentScreen.enterPaymentLineAmount("Card TST", "1000"),
            PaymentScreen.clickPaymentMethod("Cash TST"),
            PaymentScreen.enterPaymentLineAmount("Cash TST", "1200"),
            PaymentScreen.changeIs("90.00"),
            PaymentScreen.clickValidate(),
            {
                content: "the card slip is asked for: a wrong RRN is refused",
                trigger: ".modal .scs-rrn",
                run: "edit 12345",
            },
            {trigger: ".modal .scs-auth-code", run: "edit a1b2c3"},
            {trigger: ".modal .scs-last4", run: "edit 1234"},
            {trigger: ".modal .btn-primary", run: "click"},
            {trigger: ".modal .alert-danger:contains('12 digits')"},
            {trigger: ".modal .scs-rrn", run: "edit 612345678901"},
            {trigger: ".modal .btn-primary", run: "click"},
            ReceiptScreen.isShown(),
        ].flat(),
});
