/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {deserializeDate, formatDate} from "@web/core/l10n/dates";
import {PosOrder} from "@point_of_sale/app/models/pos_order";
import {formatFloat} from "@web/core/utils/numbers";
import {patch} from "@web/core/utils/patch";

patch(PosOrder.prototype, {
    /** The receipt prints what the server answered after the sync (uiState.scs_loyalty). */
    export_for_printing() {
        const data = super.export_for_printing(...arguments);
        const loyalty = this.uiState.scs_loyalty;
        if (loyalty) {
            data.scs_loyalty = {
                certificates: loyalty.certificates.map((certificate) => ({
                    ...certificate,
                    expires:
                        certificate.expires && formatDate(deserializeDate(certificate.expires)),
                })),
                // roubles or points, as the program name says
                balances: loyalty.balances.map((card) => ({
                    ...card,
                    balance: formatFloat(card.balance, {digits: [69, 2]}),
                })),
                points: loyalty.points,
            };
        }
        return data;
    },
});
