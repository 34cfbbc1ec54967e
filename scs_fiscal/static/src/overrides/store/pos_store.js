/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {PosStore} from "@point_of_sale/app/store/pos_store";
import {RPCError} from "@web/core/network/rpc";
import {ScsProxyMissing} from "@scs_pos/overrides/hardware_proxy/hardware_proxy_service";
import {patch} from "@web/core/utils/patch";

/** The register's refusals for its shift (scs_fiscal/adapters/driver.py). */
export const SHIFT_CLOSED = 1001;
export const SHIFT_EXPIRED = 1002;
/** A receipt whose fate the register did not tell is asked about this often, this far apart. */
const ASK_TRIES = 2;
const ASK_PAUSE_MS = 1500;

function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/*
 * A local register sits behind the office PC's hardware proxy, which only the POS
 * reaches: the POS sends each document the server prepared (relay item) to the proxy
 * and reports the proxy's answer to the server, which applies it through its fiscal
 * queue. The proxy answers a repeated external id with what it did under it, so any
 * step may be repeated: a receipt is never printed twice.
 */
patch(PosStore.prototype, {
    /** One proxy call as ``{result}``, or ``{error: {name, message}}`` (never throws). */
    async scsProxy(route, params) {
        try {
            return {result: await this.hardwareProxy.scsCall(route, params)};
        } catch (error) {
            if (error instanceof RPCError) {
                return {
                    error: {
                        name: error.data?.name || "InternalError",
                        message: error.data?.message || error.message || "",
                    },
                };
            }
            if (error instanceof ScsProxyMissing) {
                return {error: {name: "not_configured", message: "no proxy address"}};
            }
            return {error: {name: "connection_lost", message: String(error?.message || "")}};
        }
    },

    /** Open the register's shift (closing one over 24 hours first), as the cashier. */
    async scsFixShift(item, code) {
        const cashier = {
            cashier: (item.cashier || this.get_cashier()?.name || "-").slice(0, 64),
            cashier_inn: item.cashier_inn || "",
        };
        if (code === SHIFT_EXPIRED) {
            const closed = await this.scsProxy("/scs/fiscal/close_shift", cashier);
            if (closed.error || closed.result.status !== "done") {
                return closed;
            }
        }
        return this.scsProxy("/scs/fiscal/open_shift", cashier);
    },

    /**
     * Send one relay item to the proxy and report the answer to the server.
     * Resolves with ``{answer, data, shift}``: the proxy's answer, what the receipt
     * prints (null when the server could not be told), and a failed shift opening.
     */
    async scsRelay(item) {
        let answer = await this.scsProxy(item.route, item.params);
        let shift = null;
        const code = answer.result?.error_code;
        if (answer.result?.status === "retry" && [SHIFT_CLOSED, SHIFT_EXPIRED].includes(code)) {
            const opened = await this.scsFixShift(item, code);
            if (opened.error || opened.result.status !== "done") {
                shift = opened;
            } else {
                answer = await this.scsProxy(item.route, item.params);
            }
        }
        for (let i = 0; i < ASK_TRIES && answer.result?.status === "ask"; i++) {
            await delay(ASK_PAUSE_MS);
            answer = await this.scsProxy("/scs/fiscal/status", {
                external_id: item.params.external_id,
            });
        }
        let data = null;
        try {
            data = await this.data.call("scs.fiscal.document", "scs_relay_result", [
                item.document_id,
                answer.error ? {error: answer.error} : answer.result,
            ]);
        } catch {
            // the server is out of reach: the proxy keeps what it did, and the next
            // relay of this document asks it again under the same external id
        }
        return {answer, data, shift};
    },

    /** Relay, quietly, what earlier sales and cash moves of this desk left behind. */
    async scsRelayBacklog() {
        if (this.config.scs_fiscal_mode !== "local" || this.scsRelayingBacklog) {
            return;
        }
        this.scsRelayingBacklog = true;
        try {
            const items = await this.data.call("scs.fiscal.document", "scs_relay_pending", [
                this.config.id,
            ]);
            for (const item of items) {
                const {answer} = await this.scsRelay(item);
                if (answer.error?.name === "connection_lost") {
                    break;
                }
            }
        } catch {
            // offline: tried again after the next sale
        } finally {
            this.scsRelayingBacklog = false;
        }
    },

    async cashMove() {
        const result = await super.cashMove(...arguments);
        // a local register records the cash move in its drawer counter
        this.scsRelayBacklog();
        return result;
    },
});
