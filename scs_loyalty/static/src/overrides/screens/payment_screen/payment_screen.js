/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {ConnectionLostError, RPCError} from "@web/core/network/rpc";
import {AlertDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {PaymentScreen} from "@point_of_sale/app/screens/payment_screen/payment_screen";
import {TextInputPopup} from "@point_of_sale/app/utils/input_popups/text_input_popup";
import {_t} from "@web/core/l10n/translation";
import {makeAwaitable} from "@point_of_sale/app/store/make_awaitable_dialog";
import {patch} from "@web/core/utils/patch";
import {roundDecimals} from "@web/core/utils/numbers";

const LOYALTY_KINDS = ["certificate", "voucher", "points"];

/** The money of the most whole points worth no more than ``amount`` (the POS pays whole points). */
function wholePoints(amount, pointValue) {
    let points = Math.floor(amount / pointValue + 1e-9);
    while (points > 0 && roundDecimals(points * pointValue, 2) > amount) {
        points--;
    }
    return roundDecimals(points * pointValue, 2);
}

patch(PaymentScreen.prototype, {
    /** A loyalty tender's new line names what it spends; refund lines give back and ask nothing. */
    async addNewPaymentLine(paymentMethod) {
        const added = await super.addNewPaymentLine(...arguments);
        const line = this.selectedPaymentLine;
        if (
            added &&
            LOYALTY_KINDS.includes(paymentMethod.scs_tender_kind) &&
            line?.payment_method_id === paymentMethod &&
            line.amount > 0 &&
            !line.scs_refunded_payment_id &&
            !(await this.scsLoyaltyTake(line))
        ) {
            this.deletePaymentLine(line.uuid);
            return false;
        }
        return added;
    },

    /**
     * Have the server say what ``line`` may spend, and cap the line at it; false when
     * it spends nothing. The server checks the line again when the order syncs.
     */
    async scsLoyaltyTake(line) {
        const method = line.payment_method_id;
        const order = this.currentOrder;
        const partner = order.get_partner();
        const points = method.scs_tender_kind === "points";
        const params = {partner_id: partner?.id || false, order_total: line.amount};
        if (points) {
            if (!partner) {
                this.scsLoyaltyAlert(method, _t("Choose the customer whose points pay."));
                return false;
            }
            // the program caps the share of the order's total that points pay
            params.order_total = order.get_total_with_tax();
        } else {
            const code = await makeAwaitable(this.dialog, TextInputPopup, {
                title: _t("Certificate or voucher code"),
                placeholder: "XXXX-XXXX-XXXX-XXXX-XXXX",
            });
            if (!code?.trim()) {
                return false;
            }
            params.code = code;
        }
        let card = null;
        try {
            card = await this.pos.data.call(
                "loyalty.card",
                "scs_pos_lookup",
                [this.pos.config.id, method.id],
                params
            );
        } catch (error) {
            if (error instanceof RPCError) {
                this.scsLoyaltyAlert(method, error.data?.message || error.message);
            } else if (error instanceof ConnectionLostError) {
                this.scsLoyaltyAlert(
                    method,
                    _t(
                        "A certificate, voucher or points payment needs the connection to the server."
                    )
                );
            } else {
                throw error;
            }
            return false;
        }
        // the order's other lines on the same card spend of the same balance
        const taken = order.payment_ids
            .filter(
                (other) =>
                    other !== line &&
                    other.payment_method_id === method &&
                    (points || other.scs_loyalty_code === card.code)
            )
            .reduce((sum, other) => sum + other.amount, 0);
        let amount = Math.min(line.amount, card.spendable - taken);
        if (points) {
            amount = wholePoints(amount, card.point_value);
        }
        if (amount <= 0) {
            this.scsLoyaltyAlert(
                method,
                points
                    ? _t("%s has no points this order may be paid with.", partner.name)
                    : _t("%s has nothing left to spend.", card.code)
            );
            return false;
        }
        order.uiState.scs_loyalty_cards = {
            ...order.uiState.scs_loyalty_cards,
            [line.uuid]: {code: card.code, balance: card.balance, points},
        };
        if (!points) {
            line.update({scs_loyalty_code: card.code});
        }
        line.set_amount(amount);
        return true;
    },

    scsLoyaltyAlert(method, body) {
        this.dialog.add(AlertDialog, {title: method.name, body});
    },

    /** Runs once the order is synced, before the receipt is shown or printed. */
    async afterOrderValidation() {
        await this.scsLoyaltyReceipt(this.currentOrder);
        return super.afterOrderValidation(...arguments);
    },

    /** Keep what the receipt prints: certificate codes sold, balances left, points earned. */
    async scsLoyaltyReceipt(order) {
        if (typeof order.id !== "number") {
            return;
        }
        this.env.services.ui.block();
        try {
            const result = await this.pos.data.call("pos.order", "scs_loyalty_receipt", [
                [order.id],
            ]);
            order.uiState.scs_loyalty = result[String(order.id)];
            const partner = order.get_partner();
            if (partner) {
                // the customer's balances changed with this order
                await this.pos.data.read("res.partner", [partner.id]);
            }
        } catch {
            // offline: the receipt goes without; the back office shows the codes
        } finally {
            this.env.services.ui.unblock();
        }
    },
});
