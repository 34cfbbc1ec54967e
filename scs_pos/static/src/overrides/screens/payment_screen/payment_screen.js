/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {AlertDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {ConnectionLostError} from "@web/core/network/rpc";
import {PaymentScreen} from "@point_of_sale/app/screens/payment_screen/payment_screen";
import {ScsApprovalDialog} from "@scs_pos/app/dialogs/approval_dialog";
import {ScsCardSlipDialog} from "@scs_pos/app/dialogs/card_slip_dialog";
import {_t} from "@web/core/l10n/translation";
import {makeAwaitable} from "@point_of_sale/app/store/make_awaitable_dialog";
import {patch} from "@web/core/utils/patch";

patch(PaymentScreen.prototype, {
    onMounted() {
        super.onMounted(...arguments);
        this.scsProposeRefund();
    },

    scsRefundedOrder() {
        const line = this.currentOrder.lines.find((l) => l.refunded_orderline_id);
        return line ? line.refunded_orderline_id.order_id : false;
    },

    /** A refund opens with the policy's split over the original tenders (card first). */
    async scsProposeRefund() {
        const order = this.currentOrder;
        const refunded = this.scsRefundedOrder();
        const total = order.get_total_with_tax();
        if (!refunded || order.payment_ids.length || total >= 0) {
            return;
        }
        let result = false;
        try {
            result = await this.pos.data.call("pos.order", "scs_refund_proposal", [
                this.pos.config.id,
                refunded.id,
                -total,
            ]);
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                // offline: refunds are refused at validation (scsOfflineCheck)
                return;
            }
            throw error;
        }
        if (result.error) {
            this.notification.add(result.error, {type: "danger"});
            return;
        }
        for (const share of result.shares) {
            const method = this.pos.models["pos.payment.method"].get(share.payment_method_id);
            if (!method || !this.pos.config.payment_method_ids.includes(method)) {
                continue;
            }
            let line = order.add_paymentline(method);
            if (!line) {
                // a terminal's line waits for its Send, and add_paymentline refuses any
                // line after it: the proposal's other shares are added all the same
                line = this.pos.models["pos.payment"].create({
                    pos_order_id: order,
                    payment_method_id: method,
                });
                if (method.payment_terminal) {
                    line.set_payment_status("pending");
                }
            }
            line.set_amount(-share.amount);
            const original = this.pos.models["pos.payment"].get(share.payment_id);
            if (original) {
                line.update({scs_refunded_payment_id: original});
            }
        }
    },

    async _isOrderValid() {
        if (!(await super._isOrderValid(...arguments))) {
            return false;
        }
        return this.scsChangeInCash() && (await this.scsCardSlips()) && (await this.scsApprovals());
    },

    scsChangeInCash() {
        const order = this.currentOrder;
        const total = order.get_total_with_tax();
        const nonCash = order.payment_ids
            .filter((p) => p.payment_method_id.scs_tender_kind !== "cash" && p.amount > 0)
            .reduce((sum, p) => sum + p.amount, 0);
        if (total >= 0 && nonCash - total > 0.005) {
            this.dialog.add(AlertDialog, {
                title: _t("Change is given in cash only"),
                body: _t("Non-cash tenders pay more than the order's total: lower them."),
            });
            return false;
        }
        return true;
    },

    async scsCardSlips() {
        for (const line of this.currentOrder.payment_ids) {
            const method = line.payment_method_id;
            if (
                method.scs_tender_kind !== "card" ||
                !method.scs_card_reference_required ||
                // the terminal of the proxy reports the slip's details itself
                method.use_payment_terminal === "scs_proxy" ||
                line.amount <= 0 ||
                (line.scs_rrn && line.scs_auth_code)
            ) {
                continue;
            }
            const details = await makeAwaitable(this.dialog, ScsCardSlipDialog, {
                title: _t("Card slip: %s", method.name),
                amount: this.env.utils.formatCurrency(line.amount),
            });
            if (!details) {
                return false;
            }
            line.update(details);
        }
        return true;
    },

    /**
     * Without the server: a refund is refused (only the server knows what other
     * desks refunded), and so is a discount above the cashier's limit (an approval
     * is recorded on the server); anything else syncs later and is checked then.
     */
    scsOfflineCheck(data) {
        let problem = false;
        if (data.refunded_order_id || data.amount_total < 0) {
            problem = _t(
                "A refund needs the connection to the server: it checks what was already refunded at the other cash desks."
            );
        } else {
            const limit = this.pos.config.scs_user_max_discount;
            if (limit >= 0 && data.max_discount > limit) {
                problem = _t(
                    "A discount above %s%% needs a manager's approval, which needs the connection to the server.",
                    limit
                );
            }
        }
        if (problem) {
            this.dialog.add(AlertDialog, {title: _t("No connection"), body: problem});
            return false;
        }
        return true;
    },

    /** Ask the server what needs a manager; collect each approval with a PIN. */
    async scsApprovals() {
        const order = this.currentOrder;
        const refunded = this.scsRefundedOrder();
        const data = {
            uuid: order.uuid,
            amount_total: order.get_total_with_tax(),
            max_discount: Math.max(
                0,
                ...order.lines.filter((l) => l.qty > 0).map((l) => l.discount || 0)
            ),
            refunded_order_id: refunded ? refunded.id : false,
            payments: order.payment_ids.map((p) => ({
                payment_method_id: p.payment_method_id.id,
                amount: p.amount,
                refunded_payment_id: p.scs_refunded_payment_id
                    ? p.scs_refunded_payment_id.id
                    : false,
            })),
        };
        let result = false;
        try {
            result = await this.pos.data.call("pos.order", "scs_pos_needs", [
                this.pos.config.id,
                data,
            ]);
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                return this.scsOfflineCheck(data);
            }
            throw error;
        }
        if (result.error) {
            this.dialog.add(AlertDialog, {title: _t("Refund refused"), body: result.error});
            return false;
        }
        if (!result.needs.length) {
            return true;
        }
        const approvers = await this.pos.data.call("scs.approval", "pos_approvers", [
            this.pos.config.id,
        ]);
        for (const need of result.needs) {
            const approved = await makeAwaitable(this.dialog, ScsApprovalDialog, {
                title: _t("Manager's approval"),
                need: need.label,
                approvers,
                approve: async (approverId, pin, reason) => {
                    const answer = await this.pos.data.call("scs.approval", "pos_approve", [
                        this.pos.config.id,
                        order.uuid,
                        need.kind,
                        need.value,
                        reason,
                        approverId,
                        pin,
                    ]);
                    return answer.error || false;
                },
                ask: async (reason) => {
                    const answer = await this.pos.data.call("scs.approval.request", "pos_request", [
                        this.pos.config.id,
                        order.uuid,
                        need.kind,
                        need.value,
                        reason,
                    ]);
                    return answer.id;
                },
                poll: (requestId) =>
                    this.pos.data.call("scs.approval.request", "pos_request_state", [requestId]),
                withdraw: (requestId) =>
                    this.pos.data.call("scs.approval.request", "pos_withdraw", [requestId]),
            });
            if (!approved) {
                return false;
            }
        }
        return true;
    },
});
