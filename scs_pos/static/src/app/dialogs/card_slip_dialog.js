/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {Component, useState} from "@odoo/owl";
import {Dialog} from "@web/core/dialog/dialog";
import {_t} from "@web/core/l10n/translation";

/** The card slip's details the refund and the bank registry need (RRN, code, card). */
export class ScsCardSlipDialog extends Component {
    static template = "scs_pos.CardSlipDialog";
    static components = {Dialog};
    static props = {
        title: String,
        amount: String,
        getPayload: Function,
        close: Function,
    };

    setup() {
        this.state = useState({rrn: "", authCode: "", last4: "", error: ""});
    }

    confirm() {
        const rrn = this.state.rrn.trim();
        const authCode = this.state.authCode.trim().toUpperCase();
        const last4 = this.state.last4.trim();
        if (!/^\d{12}$/.test(rrn)) {
            this.state.error = _t("The RRN is the 12 digits printed on the slip.");
            return;
        }
        if (!/^[0-9A-Z]{6}$/.test(authCode)) {
            this.state.error = _t("The authorisation code is 6 letters or digits.");
            return;
        }
        if (!/^\d{4}$/.test(last4)) {
            this.state.error = _t("Type the last 4 digits of the card.");
            return;
        }
        this.props.getPayload({
            scs_rrn: rrn,
            scs_auth_code: authCode,
            scs_card_mask: `******${last4}`,
        });
        this.props.close();
    }
}
