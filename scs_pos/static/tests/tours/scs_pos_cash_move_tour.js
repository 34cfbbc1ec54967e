/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import {registry} from "@web/core/registry";

// The cashier takes a change fund in and hands cash to the collector: each is picked
// from the office's reasons, and the collection cannot be confirmed without naming
// who took the money.
registry.category("web_tour.tours").add("scs_pos_cash_move", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            Chrome.clickMenuButton(),
            Chrome.clickMenuDropdownOption("Cash In/Out"),
            {trigger: ".modal .input-type:contains('Cash In')", run: "click"},
            {trigger: ".modal .input-amount input", run: "edit 5000"},
            {trigger: ".modal select.scs-cash-reason", run: "selectByLabel Change fund"},
            {trigger: ".modal textarea.cash-reason", run: "edit from the safe"},
            Dialog.confirm(),
            {trigger: "body:not(:has(.modal .scs-cash-reason))"},
            Chrome.clickMenuButton(),
            Chrome.clickMenuDropdownOption("Cash In/Out"),
            {trigger: ".modal .input-type:contains('Cash Out')", run: "click"},
            {trigger: ".modal .input-amount input", run: "edit 1200"},
            {
                trigger: ".modal select.scs-cash-reason",
                run: "selectByLabel Cash collection to the bank",
            },
            {
                content: "a collection needs the collector's name",
                trigger: ".modal .modal-footer .btn-primary[disabled]",
            },
            {trigger: ".modal .scs-cash-counterparty", run: "edit Collector Petrov P.P."},
            {trigger: ".modal .modal-footer .btn-primary:not([disabled])", run: "click"},
            {trigger: "body:not(:has(.modal .scs-cash-reason))"},
        ].flat(),
});
