/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {ProductScreen} from "@point_of_sale/app/screens/product_screen/product_screen";
import {isBoardingPass} from "@scs_pos/overrides/store/pos_store";
import {patch} from "@web/core/utils/patch";

patch(ProductScreen.prototype, {
    /**
     * A boarding pass scanned by the camera or by a scanner that types is not a
     * product: it finds the passenger's booking.
     */
    async _barcodeProductAction(code) {
        if (isBoardingPass(code.code)) {
            return this.pos.scsAddBooking(code.code);
        }
        return super._barcodeProductAction(...arguments);
    },
});
