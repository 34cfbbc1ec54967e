/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {AlertDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {ConnectionLostError, RPCError} from "@web/core/network/rpc";
import {PaymentInterface} from "@point_of_sale/app/payment/payment_interface";
import {ScsProxyMissing} from "@scs_pos/overrides/hardware_proxy/hardware_proxy_service";
import {_t} from "@web/core/l10n/translation";
import {register_payment_method} from "@point_of_sale/app/store/pos_store";

/** A payment whose fate the terminal did not tell is asked about this often, this far apart. */
const STATUS_TRIES = 3;
const STATUS_PAUSE_MS = 2000;
/** What the server accepts on a card payment (scs_pos/models/pos_payment.py). */
const RRN = /^\d{12}$/;
const AUTH_CODE = /^[0-9A-Z]{6}$/;
const TERMINAL_ID = /^[0-9A-Za-z]{8}$/;
const CARD_MASK = /^(\d{6})?[*X]{2,9}\d{4}$/;

function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A fresh request id: 8 lower-case hex digits, as the proxy and the terminal take it. */
export function newRequestId() {
    const [value] = crypto.getRandomValues(new Uint32Array(1));
    return value.toString(16).padStart(8, "0");
}

function proxyRefusal(error, name) {
    return error instanceof RPCError && (!name || error.data?.name === name);
}

/**
 * The card terminal behind the office PC's hardware proxy (scs_hw_proxy).
 *
 * Each operation carries a request id kept on the payment line: sent again, the proxy
 * answers what the terminal did under it, so a lost answer or a retry never charges a
 * card twice. The proxy holds the money until the order's fiscal receipt names the
 * request (scs_fiscal), and gives it back when no receipt follows.
 */
export class PaymentScsProxy extends PaymentInterface {
    setup() {
        super.setup(...arguments);
        this.enable_reversals();
        // lines the cashier cancelled while their request was at the terminal
        this.cancelled = new Set();
    }

    /** The cashier sets the amount (split tenders), then presses Send. */
    get fast_payments() {
        return false;
    }

    scsLine(uuid) {
        return this.pos.models["pos.payment"].getBy("uuid", uuid);
    }

    scsCall(route, params) {
        return this.pos.hardwareProxy.scsCall(route, params);
    }

    scsAlert(title, body) {
        this.env.services.dialog.add(AlertDialog, {title, body});
    }

    /** What the cashier is told when the proxy cannot be asked or refuses. */
    scsShowError(error) {
        const title = _t("Card terminal");
        if (error instanceof ScsProxyMissing) {
            this.scsAlert(
                title,
                _t(
                    "This cash desk has no hardware proxy address: an administrator sets it (IoT Box IP Address) in the cash desk's settings."
                )
            );
        } else if (error instanceof ConnectionLostError) {
            this.scsAlert(
                title,
                _t(
                    "The hardware proxy does not answer. Check that the office PC is on and the proxy runs, then press Retry: the terminal is asked about this payment again and never charges the card twice."
                )
            );
        } else if (proxyRefusal(error, "AccessDenied")) {
            this.scsAlert(
                title,
                _t(
                    "The hardware proxy refused this cash desk: the pairing token does not match. An administrator pairs them again."
                )
            );
        } else if (proxyRefusal(error, "not_configured")) {
            this.scsAlert(title, _t("No card terminal is connected to the hardware proxy."));
        } else if (proxyRefusal(error)) {
            this.scsAlert(
                title,
                _t("The hardware proxy refused the operation: %s", error.data.message || "")
            );
        } else {
            this.scsAlert(title, _t("The card payment failed: %s", String(error)));
        }
    }

    async send_payment_request(uuid) {
        await super.send_payment_request(...arguments);
        const line = this.scsLine(uuid);
        if (!line) {
            return false;
        }
        this.cancelled.delete(uuid);
        line.set_payment_status("waitingCard");
        try {
            return await this.scsPay(line);
        } catch (error) {
            this.scsShowError(error);
            return false;
        }
    }

    /** The card payment this refund line gives back: the sale's payment, by its RRN. */
    scsOriginal(line) {
        const original = line.scs_refunded_payment_id;
        if (original && original.scs_rrn) {
            return original;
        }
        const refundLine = line.pos_order_id.lines.find((l) => l.refunded_orderline_id);
        const sold = refundLine ? refundLine.refunded_orderline_id.order_id : false;
        const cards = (sold ? sold.payment_ids : []).filter(
            (p) => p.amount > 0 && p.scs_rrn && p.payment_method_id.id === line.payment_method_id.id
        );
        return cards.length === 1 ? cards[0] : false;
    }

    async scsPay(line) {
        const refund = line.amount < 0;
        const amount = Math.round(Math.abs(line.amount) * 100);
        if (!amount) {
            return false;
        }
        const order = line.pos_order_id;
        const params = {
            order_ref: String(order.pos_reference || order.uuid).slice(0, 64),
            amount,
        };
        if (refund) {
            const original = this.scsOriginal(line);
            if (!original) {
                this.scsAlert(
                    _t("Card refund"),
                    _t(
                        "A card refund goes back to the card of the sale, by the sale's RRN. Refund from the original order and keep the card share the POS proposes."
                    )
                );
                return false;
            }
            params.original_rrn = original.scs_rrn;
            if (!line.scs_refunded_payment_id) {
                line.update({scs_refunded_payment_id: original});
            }
        }
        const route = refund ? "/scs/terminal/refund" : "/scs/terminal/sale";
        // a line sent before keeps its id: the proxy answers what became of that request
        let requestId = line.scs_terminal_request_id || newRequestId();
        line.update({scs_terminal_request_id: requestId});
        let answer;
        try {
            answer = await this.scsCall(route, {...params, request_id: requestId});
        } catch (error) {
            if (proxyRefusal(error, "id_taken")) {
                // another order's old request had this id: nothing was asked, take a new one
                requestId = newRequestId();
                line.update({scs_terminal_request_id: requestId});
                answer = await this.scsCall(route, {...params, request_id: requestId});
                return this.scsFinish(line, answer, requestId);
            }
            if (!proxyRefusal(error, "conflict")) {
                throw error;
            }
            // the line changed since its first request: give that money back, then ask anew
            const earlier = await this.scsCall("/scs/terminal/cancel", {request_id: requestId});
            if (!["cancelled", "declined"].includes(earlier.state)) {
                this.scsAlert(
                    _t("Card terminal"),
                    _t(
                        "The earlier request of this payment line is still open at the terminal: press Retry in a moment."
                    )
                );
                return false;
            }
            requestId = newRequestId();
            line.update({scs_terminal_request_id: requestId});
            answer = await this.scsCall(route, {...params, request_id: requestId});
        }
        return this.scsFinish(line, answer, requestId);
    }

    /** Wait for an answer whose fate is unknown, then apply it to the line. */
    async scsFinish(line, answer, requestId) {
        for (let i = 0; answer.state === "authorising" && i < STATUS_TRIES; i++) {
            await delay(STATUS_PAUSE_MS);
            answer = await this.scsCall("/scs/terminal/status", {request_id: requestId});
        }
        if (this.cancelled.has(line.uuid)) {
            // cancelled while the terminal worked: whatever it took goes back
            if (["authorised", "authorising"].includes(answer.state)) {
                await this.scsCall("/scs/terminal/cancel", {request_id: requestId}).catch(
                    () => false
                );
            }
            return false;
        }
        return this.scsApply(line, answer);
    }

    async scsApply(line, answer) {
        const requestId = line.scs_terminal_request_id;
        if (["authorised", "committed"].includes(answer.state)) {
            if (!RRN.test(answer.rrn || "")) {
                // no RRN, no refund to this card and no registry match: do not keep the money
                await this.scsCall("/scs/terminal/cancel", {request_id: requestId}).catch(
                    () => false
                );
                line.update({scs_terminal_request_id: false});
                this.scsAlert(
                    _t("Card payment cancelled"),
                    _t(
                        "The terminal approved the payment without a valid RRN, so it was cancelled. Try again."
                    )
                );
                return false;
            }
            const authCode = (answer.auth_code || "").replace(/\s/g, "").toUpperCase();
            const mask = (answer.card_mask || "").replace(/\s/g, "");
            line.update({
                scs_rrn: answer.rrn,
                scs_auth_code: AUTH_CODE.test(authCode) ? authCode : false,
                scs_card_mask: CARD_MASK.test(mask) ? mask : false,
                scs_terminal_id: TERMINAL_ID.test(answer.terminal_id || "")
                    ? answer.terminal_id
                    : false,
                transaction_id: answer.rrn,
            });
            const slip = Array.isArray(answer.slip) ? answer.slip[0] : answer.slip;
            if (slip) {
                line.set_receipt_info(slip);
            }
            return true;
        }
        if (["declined", "cancelled"].includes(answer.state)) {
            // this request is over: a retry is a new request
            line.update({scs_terminal_request_id: false});
            this.scsAlert(
                _t("Card payment declined"),
                answer.code !== null && answer.code !== undefined
                    ? _t("The terminal declined the payment: %(text)s (code %(code)s).", {
                          text: answer.text || "",
                          code: answer.code,
                      })
                    : _t("The terminal declined the payment: %s", answer.text || "")
            );
            return false;
        }
        this.scsAlert(
            _t("Card payment not confirmed"),
            _t(
                "The terminal has not said whether the card was charged. Do not take the money another way: press Retry to ask it again. The card is never charged twice for this payment."
            )
        );
        return false;
    }

    async send_payment_cancel(order, uuid) {
        await super.send_payment_cancel(...arguments);
        this.cancelled.add(uuid);
        const line = this.scsLine(uuid);
        const requestId = line && line.scs_terminal_request_id;
        if (!requestId) {
            return true;
        }
        let answer;
        try {
            answer = await this.scsCall("/scs/terminal/cancel", {request_id: requestId});
        } catch (error) {
            if (proxyRefusal(error, "unknown")) {
                // the request never reached the proxy: if it still does, its answer is cancelled
                return true;
            }
            this.scsShowError(error);
            return false;
        }
        if (["cancelled", "declined"].includes(answer.state)) {
            line.update({scs_terminal_request_id: false});
            return true;
        }
        this.scsAlert(
            _t("Card terminal"),
            _t("The terminal did not cancel the payment: %s", answer.text || answer.state)
        );
        return false;
    }

    /** Give the money of an approved payment back before the order is validated. */
    async send_payment_reversal(uuid) {
        await super.send_payment_reversal(...arguments);
        const line = this.scsLine(uuid);
        const requestId = line && line.scs_terminal_request_id;
        if (!requestId) {
            return false;
        }
        let answer;
        try {
            answer = await this.scsCall("/scs/terminal/cancel", {request_id: requestId});
        } catch (error) {
            this.scsShowError(error);
            return false;
        }
        if (answer.state !== "cancelled") {
            this.scsAlert(
                _t("Card terminal"),
                _t("The terminal did not give the money back: %s", answer.text || answer.state)
            );
            return false;
        }
        line.update({
            scs_terminal_request_id: false,
            scs_rrn: false,
            scs_auth_code: false,
            scs_card_mask: false,
            transaction_id: false,
        });
        return true;
    }
}

register_payment_method("scs_proxy", PaymentScsProxy);
