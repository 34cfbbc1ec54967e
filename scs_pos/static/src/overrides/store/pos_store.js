/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {PosStore} from "@point_of_sale/app/store/pos_store";
import {_t} from "@web/core/l10n/translation";
import {ask} from "@point_of_sale/app/store/make_awaitable_dialog";
import {patch} from "@web/core/utils/patch";

patch(PosStore.prototype, {
    /** Before payment, warn when a booking of this order is in another order. */
    async pay() {
        const order = this.get_order();
        const references = [
            ...new Set(
                order
                    .get_orderlines()
                    .map((line) => line.scs_booking_ref)
                    .filter(Boolean)
            ),
        ];
        if (references.length) {
            let warning = false;
            try {
                warning = await this.data.call("scs.booking", "pos_check_duplicates", [
                    this.config.id,
                    references,
                    order.uuid,
                ]);
            } catch {
                // offline: the check needs the server; payment must still be possible
                warning = false;
            }
            if (warning) {
                const confirmed = await ask(this.dialog, {
                    title: _t("Booking in another order"),
                    body: warning,
                    confirmLabel: _t("Pay anyway"),
                    cancelLabel: _t("Back to the order"),
                });
                if (!confirmed) {
                    return;
                }
            }
        }
        return super.pay(...arguments);
    },
});
