/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {AlertDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {ControlButtons} from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import {SelectionPopup} from "@point_of_sale/app/utils/input_popups/selection_popup";
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
                this.pos.get_order()?.uuid || false,
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

    scsBundles() {
        return this.pos.models["scs.service.bundle"]
            .getAll()
            .sort((a, b) => a.sequence - b.sequence);
    },

    /** The passengers of the bookings in the current order, in order of appearance. */
    scsPassengers() {
        const seen = new Map();
        for (const line of this.pos.get_order()?.get_orderlines() || []) {
            if (line.scs_booking_ref && line.scs_passenger_id) {
                const key = `${line.scs_booking_ref}/${line.scs_passenger_id}`;
                if (!seen.has(key)) {
                    seen.set(key, {
                        scs_booking_ref: line.scs_booking_ref,
                        scs_passenger_id: line.scs_passenger_id,
                        scs_passenger_name: line.scs_passenger_name,
                        scs_passenger_ptc: line.scs_passenger_ptc,
                    });
                }
            }
        }
        return [...seen.values()];
    },

    /**
     * One click adds a bundle's services for the order's passenger; with several
     * passengers the cashier picks one (or all) first.
     */
    async clickScsBundle(bundle) {
        const passengers = this.scsPassengers();
        let targets = passengers.length ? [passengers[0]] : [{}];
        if (passengers.length > 1) {
            const choice = await makeAwaitable(this.dialog, SelectionPopup, {
                title: _t("%s for which passenger?", bundle.name),
                list: [
                    ...passengers.map((p, index) => ({
                        id: index,
                        label: p.scs_passenger_name,
                        item: [p],
                    })),
                    {id: -1, label: _t("All passengers"), item: passengers},
                ],
            });
            if (!choice) {
                return;
            }
            targets = choice;
        }
        for (const passenger of targets) {
            for (const line of bundle.line_ids) {
                await this.pos.addLineToCurrentOrder(
                    {product_id: line.product_id, qty: line.qty, ...passenger},
                    {},
                    false
                );
            }
        }
    },
});
