/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {PosOrderline} from "@point_of_sale/app/models/pos_order_line";
import {patch} from "@web/core/utils/patch";

patch(PosOrderline.prototype, {
    /** Booking lines name their passenger, on screen and on the receipt. */
    getDisplayData() {
        const data = super.getDisplayData(...arguments);
        if (this.scs_booking_ref) {
            const who = [this.scs_passenger_name, this.scs_booking_ref].filter(Boolean).join(", ");
            data.productName = `${data.productName} (${who})`;
        }
        return data;
    },
    /** A booking line is priced by the booking system: never merge two of them. */
    can_be_merged_with(orderline) {
        if (this.scs_booking_ref || orderline.scs_booking_ref) {
            return false;
        }
        return super.can_be_merged_with(...arguments);
    },
});
