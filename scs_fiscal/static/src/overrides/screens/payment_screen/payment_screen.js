/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {PaymentScreen} from "@point_of_sale/app/screens/payment_screen/payment_screen";
import {patch} from "@web/core/utils/patch";

patch(PaymentScreen.prototype, {
    /** Runs once the order is synced, before the receipt is shown or printed. */
    async afterOrderValidation() {
        await this.scsFiscalize(this.currentOrder);
        return super.afterOrderValidation(...arguments);
    },

    /** Have the server fiscalize the order now and keep what the receipt prints. */
    async scsFiscalize(order) {
        if (this.pos.config.scs_fiscal_mode === "none" || typeof order.id !== "number") {
            return;
        }
        this.env.services.ui.block();
        try {
            const result = await this.pos.data.call("pos.order", "scs_fiscalize", [[order.id]]);
            order.uiState.scs_fiscal = result[String(order.id)];
        } catch {
            // offline or refused: the fiscal queue registers the order later, and
            // the receipt says so
        } finally {
            this.env.services.ui.unblock();
        }
    },
});
