/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {AlertDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {ControlButtons} from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import {TextInputPopup} from "@point_of_sale/app/utils/input_popups/text_input_popup";
import {_t} from "@web/core/l10n/translation";
import {ask, makeAwaitable} from "@point_of_sale/app/store/make_awaitable_dialog";
import {patch} from "@web/core/utils/patch";

patch(ControlButtons.prototype, {
    /**
     * One click: ask for the booking reference, let the server price the whole
     * booking, then add all its lines at once (or none, with the reason).
     */
    async clickScsBooking() {
        const reference = await makeAwaitable(this.dialog, TextInputPopup, {
            title: _t("Booking reference"),
            placeholder: _t("e.g. SCS001"),
        });
        if (!reference || !reference.trim()) {
            return;
        }
        let result = null;
        try {
            result = await this.pos.data.call("scs.booking", "pos_lookup", [
                this.pos.config.id,
                reference.trim(),
            ]);
        } catch {
            // offline or server error: the cashier can still add services by hand
            this.dialog.add(AlertDialog, {
                title: _t("Booking not added"),
                body: _t(
                    "The server cannot be reached. Add the services by hand, or try again when the connection is back."
                ),
            });
            return;
        }
        if (result.error) {
            this.dialog.add(AlertDialog, {title: _t("Booking not added"), body: result.error});
            return;
        }
        if (result.warning) {
            const confirmed = await ask(this.dialog, {
                title: _t("Booking already in another order"),
                body: result.warning,
                confirmLabel: _t("Add anyway"),
                cancelLabel: _t("Discard"),
            });
            if (!confirmed) {
                return;
            }
        }
        const missing = result.lines.filter(
            (line) => !this.pos.models["product.product"].get(line.product_id)
        );
        if (missing.length) {
            this.dialog.add(AlertDialog, {
                title: _t("Booking not added"),
                body: _t(
                    "Some services of this booking are not loaded at this cash desk: %s",
                    missing.map((line) => line.description).join(", ")
                ),
            });
            return;
        }
        for (const line of result.lines) {
            // eslint-disable-next-line no-unused-vars
            const {description, ...vals} = line;
            await this.pos.addLineToCurrentOrder(vals, {}, false);
        }
    },
});
