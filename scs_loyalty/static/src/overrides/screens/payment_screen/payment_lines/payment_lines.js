/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {PaymentScreenPaymentLines} from "@point_of_sale/app/screens/payment_screen/payment_lines/payment_lines";
import {_t} from "@web/core/l10n/translation";
import {formatFloat} from "@web/core/utils/numbers";
import {patch} from "@web/core/utils/patch";

patch(PaymentScreenPaymentLines.prototype, {
    /** What a loyalty line spends: the card's code and the balance the server told. */
    scsLoyaltyHint(line) {
        const card = line.pos_order_id.uiState.scs_loyalty_cards?.[line.uuid];
        const code =
            card?.code || line.scs_loyalty_code || line.scs_refunded_payment_id?.scs_loyalty_code;
        if (!card) {
            return code || "";
        }
        const balance = card.points
            ? _t("%s points", formatFloat(card.balance, {digits: [69, 0]}))
            : this.env.utils.formatCurrency(card.balance);
        return _t("%(code)s, balance %(balance)s", {code, balance});
    },
});
