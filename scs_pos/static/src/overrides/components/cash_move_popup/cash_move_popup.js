/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {CashMovePopup} from "@point_of_sale/app/navbar/cash_move_popup/cash_move_popup";
import {patch} from "@web/core/utils/patch";

// Cash in and out are cash orders (KO-1, KO-2): the cashier picks the reason from the
// office's list and names the counterparty where the reason needs one; the server
// issues the order with the statement line, or refuses both.
patch(CashMovePopup.prototype, {
    setup() {
        super.setup(...arguments);
        this.state.scsReasonId = "";
        this.state.scsCounterparty = "";
    },
    get scsReasons() {
        const type = this.state.type;
        return this.pos.models["scs.cash.reason"]
            .getAll()
            .filter((reason) => reason.direction === "both" || reason.direction === type);
    },
    get scsReason() {
        const id = parseInt(this.state.scsReasonId, 10);
        return this.scsReasons.find((reason) => reason.id === id);
    },
    onClickButton(type) {
        super.onClickButton(type);
        if (this.state.scsReasonId && !this.scsReason) {
            this.state.scsReasonId = "";
        }
    },
    scsOnReason(ev) {
        this.state.scsReasonId = ev.target.value;
        const reason = this.scsReason;
        if (reason && !this.state.reason.trim()) {
            this.state.reason = reason.name;
        }
    },
    isValidCashMove() {
        const reason = this.scsReason;
        if (reason && reason.counterparty_required && !this.state.scsCounterparty.trim()) {
            return false;
        }
        return super.isValidCashMove();
    },
    _prepare_try_cash_in_out_payload(type, amount, reason, extras) {
        const chosen = this.scsReason;
        if (chosen) {
            extras.scs_reason_code = chosen.code;
        }
        if (this.state.scsCounterparty.trim()) {
            extras.scs_counterparty = this.state.scsCounterparty.trim();
        }
        return super._prepare_try_cash_in_out_payload(type, amount, reason, extras);
    },
});
