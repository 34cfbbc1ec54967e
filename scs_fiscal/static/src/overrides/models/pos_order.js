/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {PosOrder} from "@point_of_sale/app/models/pos_order";
import {patch} from "@web/core/utils/patch";

patch(PosOrder.prototype, {
    /**
     * A fiscal cash desk's receipt carries the fiscal data the server answered after
     * the sync (uiState.scs_fiscal); without an answer it says the receipt is pending.
     */
    export_for_printing() {
        const data = super.export_for_printing(...arguments);
        const mode = this.config.scs_fiscal_mode;
        if (mode && mode !== "none") {
            const documents = this.uiState.scs_fiscal;
            data.scs_fiscal = {
                pending: !documents,
                documents: (documents || []).map((doc) => ({
                    ...doc,
                    qr_src:
                        doc.qr &&
                        `/report/barcode/?barcode_type=QR&value=${encodeURIComponent(
                            doc.qr
                        )}&width=150&height=150`,
                })),
            };
        }
        return data;
    },
});
