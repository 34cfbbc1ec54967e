/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {Component, onWillUnmount, useState} from "@odoo/owl";
import {Dialog} from "@web/core/dialog/dialog";
import {_t} from "@web/core/l10n/translation";

const POLL_MS = 3000;

/**
 * A manager approves at the cash desk: their PIN and the reason, kept with the order.
 * With no manager at the desk, the cashier asks remotely: the request waits on the
 * managers' dashboard and the dialog waits for the decision.
 */
export class ScsApprovalDialog extends Component {
    static template = "scs_pos.ApprovalDialog";
    static components = {Dialog};
    static props = {
        title: String,
        need: String,
        approvers: Array,
        // (approverId, pin, reason) => error message or false
        approve: Function,
        // (reason) => request id; (id) => {state, manager, note}; (id) => void
        ask: Function,
        poll: Function,
        withdraw: Function,
        getPayload: Function,
        close: Function,
    };

    setup() {
        this.state = useState({
            approverId: this.props.approvers.length ? this.props.approvers[0].id : 0,
            pin: "",
            reason: "",
            error: "",
            busy: false,
            requestId: 0,
        });
        this.timer = null;
        onWillUnmount(() => this.stopPolling());
    }

    checkReason() {
        if (!this.state.reason.trim()) {
            this.state.error = _t("Give the reason for the approval.");
            return false;
        }
        return true;
    }

    async confirm() {
        if (!this.checkReason()) {
            return;
        }
        this.state.busy = true;
        try {
            const error = await this.props.approve(
                Number(this.state.approverId),
                this.state.pin,
                this.state.reason
            );
            if (error) {
                this.state.error = error;
                this.state.pin = "";
                return;
            }
        } finally {
            this.state.busy = false;
        }
        this.props.getPayload(true);
        this.props.close();
    }

    async askRemotely() {
        if (!this.checkReason()) {
            return;
        }
        this.state.busy = true;
        try {
            this.state.requestId = await this.props.ask(this.state.reason);
            this.state.error = "";
        } catch {
            this.state.error = _t("The server cannot be reached: ask again when it is back.");
            return;
        } finally {
            this.state.busy = false;
        }
        this.timer = setInterval(() => this.poll(), POLL_MS);
    }

    stopPolling() {
        if (this.timer) {
            clearInterval(this.timer);
            this.timer = null;
        }
    }

    async poll() {
        let answer = null;
        try {
            answer = await this.props.poll(this.state.requestId);
        } catch {
            // the connection dropped: keep waiting, the request is kept on the server
            return;
        }
        if (answer.state === "approved") {
            this.stopPolling();
            this.props.getPayload(true);
            this.props.close();
        } else if (answer.state !== "waiting") {
            this.stopPolling();
            this.state.requestId = 0;
            this.state.error = answer.note
                ? _t("%(manager)s refused: %(note)s", {manager: answer.manager, note: answer.note})
                : _t("The request was not approved.");
        }
    }

    async withdraw() {
        this.stopPolling();
        const requestId = this.state.requestId;
        this.state.requestId = 0;
        await this.props.withdraw(requestId);
    }

    discard() {
        if (this.state.requestId) {
            // the request stays on the dashboard otherwise, for an order given up
            this.withdraw();
        }
        this.props.close();
    }
}
