/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {ClosePosPopup} from "@point_of_sale/app/navbar/closing_popup/closing_popup";
import {ask} from "@point_of_sale/app/store/make_awaitable_dialog";
import {_t} from "@web/core/l10n/translation";
import {patch} from "@web/core/utils/patch";
import {SHIFT_CLOSED} from "@scs_fiscal/overrides/store/pos_store";

patch(ClosePosPopup.prototype, {
    /**
     * A desk on the office PC's register ends its session with the register: what is
     * still unprinted goes first, then the Z report closes the register's shift, and
     * the card terminal closes its day (сверка итогов). A failure is told; the cashier
     * decides whether the session closes all the same.
     */
    async closeSession() {
        if (this.pos.config.scs_fiscal_mode === "local" && !(await this.scsCloseDevices())) {
            return;
        }
        return super.closeSession(...arguments);
    },

    async scsCloseDevices() {
        const pos = this.pos;
        await pos.scsRelayBacklog();
        const cashier = {cashier: (pos.get_cashier()?.name || "-").slice(0, 64)};
        const z = await pos.scsProxy("/scs/fiscal/close_shift", cashier);
        const problems = [];
        if (z.error) {
            problems.push(_t("Fiscal register: %s", z.error.message || z.error.name));
        } else if (z.result.status === "done") {
            await pos.data
                .call("scs.fiscal.register", "scs_relay_z_report", [pos.config.id, z.result])
                .catch(() => problems.push(_t("The Z report was not recorded in Odoo.")));
        } else if (z.result.error_code !== SHIFT_CLOSED) {
            problems.push(_t("Fiscal register: %s", z.result.error_text || z.result.status));
        }
        const terminal = pos.config.payment_method_ids.some(
            (method) => method.use_payment_terminal === "scs_proxy"
        );
        if (terminal) {
            const day = await pos.scsProxy("/scs/terminal/day_close", {});
            if (day.error || day.result.outcome !== "approved") {
                const reason = day.error?.message || day.result?.text || "";
                problems.push(_t("Card terminal day close: %s", reason));
            }
        }
        if (!problems.length) {
            return true;
        }
        return ask(this.dialog, {
            title: _t("Office devices"),
            body: `${problems.join("\n")}\n${_t("Close the session all the same?")}`,
            confirmLabel: _t("Close the session"),
            cancelLabel: _t("Stay open"),
        });
    },
});
