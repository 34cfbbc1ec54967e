/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {ControlButtons} from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import {SelectionPopup} from "@point_of_sale/app/utils/input_popups/selection_popup";
import {_t} from "@web/core/l10n/translation";
import {makeAwaitable} from "@point_of_sale/app/store/make_awaitable_dialog";
import {patch} from "@web/core/utils/patch";

patch(ControlButtons.prototype, {
    /** One click: the booking by its reference (or boarding pass), all of it. */
    async clickScsBooking() {
        await this.pos.scsAskBooking();
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
