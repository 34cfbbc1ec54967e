/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {Component, useState} from "@odoo/owl";
import {Dialog} from "@web/core/dialog/dialog";
import {_t} from "@web/core/l10n/translation";

/** A manager approves at the cash desk: their PIN and the reason, kept with the order. */
export class ScsApprovalDialog extends Component {
    static template = "scs_pos.ApprovalDialog";
    static components = {Dialog};
    static props = {
        title: String,
        need: String,
        approvers: Array,
        // (approverId, pin, reason) => error message or false
        approve: Function,
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
        });
    }

    async confirm() {
        if (!this.state.reason.trim()) {
            this.state.error = _t("Give the reason for the approval.");
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
}
