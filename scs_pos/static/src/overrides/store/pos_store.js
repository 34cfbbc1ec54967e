/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {AlertDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {browser} from "@web/core/browser/browser";
import {PosStore} from "@point_of_sale/app/store/pos_store";
import {_t} from "@web/core/l10n/translation";
import {ask, makeAwaitable} from "@point_of_sale/app/store/make_awaitable_dialog";
import {TextInputPopup} from "@point_of_sale/app/utils/input_popups/text_input_popup";

/** A boarding pass barcode (IATA BCBP) rather than a booking reference. */
export function isBoardingPass(text) {
    return /^M[1-4]/.test(text || "") && text.length >= 60;
}
import {patch} from "@web/core/utils/patch";

// a phone's network comes and goes without an order to sync: retry this often
const RESYNC_MS = 60000;

patch(PosStore.prototype, {
    async setup() {
        await super.setup(...arguments);
        // sales made offline are sent as soon as the network is back, not with the
        // next sale (the uuid makes a repeated send one order on the server)
        browser.addEventListener("online", () => this.scsSyncPending());
        browser.setInterval(() => this.scsSyncPending(), RESYNC_MS);
    },

    scsSyncPending() {
        const {orderToCreate, orderToUpdate} = this.getPendingOrder();
        // paid orders only: the one being built stays on the device until it is paid
        const orders = [...orderToCreate, ...orderToUpdate].filter((o) => o.state !== "draft");
        if (orders.length) {
            this.syncAllOrders({orders}).catch(() => {
                // still offline: the orders stay on the device for the next try
            });
        }
    },

    /** Ask for the booking reference; a scanner that types may give a boarding pass. */
    async scsAskBooking() {
        const reference = await makeAwaitable(this.dialog, TextInputPopup, {
            title: _t("Booking reference"),
            placeholder: _t("e.g. SCS001, or scan the boarding pass"),
        });
        if (reference && reference.trim()) {
            await this.scsAddBooking(reference.trim());
        }
    },

    /**
     * One click: let the server price the whole booking of ``reference`` (typed, or
     * a scanned boarding pass), then add all its lines at once (or none, with the
     * reason).
     */
    async scsAddBooking(reference) {
        let result = null;
        try {
            result = await this.data.call("scs.booking", "pos_lookup", [
                this.config.id,
                reference,
                this.get_order()?.uuid || false,
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
            (line) => !this.models["product.product"].get(line.product_id)
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
            await this.addLineToCurrentOrder(vals, {}, false);
        }
    },

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
