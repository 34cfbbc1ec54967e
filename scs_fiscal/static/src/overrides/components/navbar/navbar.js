/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {Navbar} from "@point_of_sale/app/navbar/navbar";
import {AlertDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {_t} from "@web/core/l10n/translation";
import {patch} from "@web/core/utils/patch";

patch(Navbar.prototype, {
    /** The register of the office PC prints the shift's counters (X report) mid-shift. */
    async scsXReport() {
        const cashier = {cashier: (this.pos.get_cashier()?.name || "-").slice(0, 64)};
        const answer = await this.pos.scsProxy("/scs/fiscal/x_report", cashier);
        const done = answer.result?.status === "done";
        const reason =
            answer.error?.message || answer.result?.error_text || answer.result?.status || "";
        this.dialog.add(AlertDialog, {
            title: _t("X Report"),
            body: done
                ? _t("The fiscal register printed the X report of the shift.")
                : _t("The fiscal register did not print the X report: %s", reason),
        });
    },
});
