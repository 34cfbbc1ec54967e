/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {deserializeDate, formatDate} from "@web/core/l10n/dates";
import {PosOrder} from "@point_of_sale/app/models/pos_order";
import {_t} from "@web/core/l10n/translation";
import {formatFloat} from "@web/core/utils/numbers";
import {formatCurrency} from "@web/core/currency";
import {patch} from "@web/core/utils/patch";

patch(PosOrder.prototype, {
    /** The receipt prints what the server answered after the sync (uiState.scs_loyalty). */
    export_for_printing() {
        const data = super.export_for_printing(...arguments);
        const loyalty = this.uiState.scs_loyalty;
        if (loyalty) {
            data.scs_loyalty = {
                certificates: loyalty.certificates.map(({code, amount, expires}) => {
                    const values = {
                        code,
                        amount: formatCurrency(amount, this.currency.id),
                        expires: expires && formatDate(deserializeDate(expires)),
                    };
                    return expires
                        ? _t(
                              "Gift certificate %(code)s — %(amount)s, valid until %(expires)s",
                              values
                          )
                        : _t("Gift certificate %(code)s — %(amount)s", values);
                }),
                balances: loyalty.balances.map(({name, code, kind, balance}) => {
                    const left =
                        kind === "points"
                            ? _t("%s points", formatFloat(balance, {digits: [69, 0]}))
                            : formatCurrency(balance, this.currency.id);
                    return `${name} ${code}: ${left}`;
                }),
                points: loyalty.points,
            };
        }
        return data;
    },
});
