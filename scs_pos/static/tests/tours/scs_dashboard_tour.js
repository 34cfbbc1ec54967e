/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";

// A manager opens the dashboard, sees the cashier's request waiting, follows
// the tile to it and approves it; the tile then counts nothing.
registry.category("web_tour.tours").add("scs_dashboard_approval", {
    steps: () => [
        {
            content: "the dashboard opens on what needs a person",
            trigger: ".scs_dashboard .scs-tile-approvals .scs-tile-count:contains(1)",
        },
        {
            content: "today's orders are counted",
            trigger: ".scs_dashboard .scs-figure-orders:contains(1)",
        },
        {
            content: "follow the tile",
            trigger: ".scs-tile-approvals",
            run: "click",
        },
        {
            content: "the list behind it holds the cashier's request",
            trigger: ".o_list_view .o_data_row td:contains(the passenger is a regular)",
            run: "click",
        },
        {
            content: "approve it",
            trigger: ".o_form_view button.scs-request-approve",
            run: "click",
        },
        {
            content: "the request is approved",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Approved)",
        },
        {
            content: "back to the dashboard",
            trigger: ".o_breadcrumb a:contains(Manager's Dashboard)",
            run: "click",
        },
        {
            content: "nothing waits any more",
            trigger: ".scs_dashboard .scs-tile-approvals .scs-tile-count:contains(0)",
        },
    ],
});
