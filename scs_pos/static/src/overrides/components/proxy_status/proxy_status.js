/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {ProxyStatus} from "@point_of_sale/app/navbar/proxy_status/proxy_status";
import {_t} from "@web/core/l10n/translation";
import {patch} from "@web/core/utils/patch";

/** The office PC's own devices, as its hardware proxy reports them in status_json. */
const SCS_DEVICES = [
    ["scs_register", () => _t("Fiscal register")],
    ["scs_terminal", () => _t("Card terminal")],
];

patch(ProxyStatus.prototype, {
    get message() {
        const message = super.message;
        if (this.connectionInfo.status !== "connected") {
            return message;
        }
        const drivers = this.connectionInfo.drivers || {};
        const faults = SCS_DEVICES.filter(([key]) => drivers[key])
            .filter(([key]) => !["connected", "connecting"].includes(drivers[key].status))
            .map(([key, name]) => `${name()}: ${drivers[key].message || drivers[key].status}`);
        return [message, ...faults].filter(Boolean).join(" · ");
    },
});
