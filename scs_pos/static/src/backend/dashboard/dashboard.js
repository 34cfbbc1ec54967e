/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {Component, onWillStart, onWillUnmount, useState} from "@odoo/owl";
import {formatMonetary} from "@web/views/fields/formatters";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

const REFRESH_MS = 60000;

/** The manager's workplace: what needs a person first, then today's figures. */
export class ScsDashboard extends Component {
    static template = "scs_pos.Dashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({data: null, officeId: 0});
        onWillStart(() => this.load());
        const timer = setInterval(() => this.load(), REFRESH_MS);
        onWillUnmount(() => clearInterval(timer));
    }

    get officeIds() {
        return this.state.officeId ? [Number(this.state.officeId)] : [];
    }

    async load() {
        this.state.data = await this.orm.call("scs.dashboard", "get_data", [this.officeIds]);
    }

    async onOffice(ev) {
        this.state.officeId = Number(ev.target.value);
        await this.load();
    }

    async openTile(tile) {
        const action = await this.orm.call("scs.dashboard", "open_tile", [
            tile.key,
            this.officeIds,
        ]);
        await this.action.doAction(action);
    }

    money(value) {
        return formatMonetary(value, {currencyId: this.state.data.figures.currency_id});
    }

    duration(seconds) {
        if (seconds === null || seconds === undefined) {
            return "-";
        }
        const minutes = Math.floor(seconds / 60);
        return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
    }
}

registry.category("actions").add("scs_pos.dashboard", ScsDashboard);
