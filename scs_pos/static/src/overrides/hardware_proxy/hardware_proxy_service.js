/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {HardwareProxy} from "@point_of_sale/app/hardware_proxy/hardware_proxy_service";
import {ScsHWPrinter} from "@scs_pos/app/printer/scs_hw_printer";
import {browser} from "@web/core/browser/browser";
import {deduceUrl} from "@point_of_sale/utils";
import {patch} from "@web/core/utils/patch";
import {rpc} from "@web/core/network/rpc";

/** The cash desk names no hardware proxy (proxy_ip): nothing can be asked of it. */
export class ScsProxyMissing extends Error {}

/*
 * Odoo's POS sends no credentials to a proxy; the SCS proxy refuses every call without
 * the pairing token of the cash desk (pos.config scs_proxy_token). The bodies below are
 * Odoo's own, with the Authorization header added.
 */
patch(HardwareProxy.prototype, {
    /** Fresh headers for one call (rpc() adds Content-Type to the object it is given). */
    scsHeaders() {
        const token = this.pos?.config?.scs_proxy_token;
        return token ? {Authorization: `Bearer ${token}`} : {};
    },

    message(name, params) {
        this.dispatchEvent(new CustomEvent(`send_message:${name}`));
        if (this.connectionInfo.status === "disconnected") {
            return Promise.reject();
        }
        return rpc(`${this.host}/hw_proxy/${name}`, params, {
            silent: true,
            headers: this.scsHeaders(),
        });
    },

    keepalive() {
        const status = () => {
            const always = () => setTimeout(status, 5000);
            const xhr = new browser.XMLHttpRequest();
            xhr.timeout = 2500;
            rpc(
                `${this.host}/hw_proxy/status_json`,
                {},
                {
                    silent: true,
                    xhr,
                    headers: this.scsHeaders(),
                }
            )
                .then(
                    (drivers) => this.setConnectionInfo({status: "connected", drivers}),
                    () => {
                        if (this.connectionInfo.status !== "connecting") {
                            this.setConnectionInfo({status: "disconnected"});
                        }
                    }
                )
                .then(always, always);
        };
        if (!this.keptalive) {
            this.keptalive = true;
            status();
        }
    },

    connectToPrinter() {
        this.printer = new ScsHWPrinter({url: this.host, headers: () => this.scsHeaders()});
    },

    /** The address of the cash desk's proxy, which its terminal and register sit behind. */
    scsProxyUrl() {
        const address = this.pos?.config?.proxy_ip;
        if (!address) {
            throw new ScsProxyMissing("no proxy address");
        }
        return deduceUrl(address.trim().replace(/\/+$/, ""));
    },

    /**
     * One call of an SCS route (/scs/terminal/..., /scs/fiscal/...) of the proxy, whether
     * or not Odoo's own proxy connection is used. Resolves with the result; rejects with
     * the RPCError of a refusal (error.data.name), a ConnectionLostError, or ScsProxyMissing.
     */
    scsCall(route, params) {
        let url;
        try {
            url = this.scsProxyUrl();
        } catch (error) {
            return Promise.reject(error);
        }
        return rpc(`${url}${route}`, params, {silent: true, headers: this.scsHeaders()});
    },
});
