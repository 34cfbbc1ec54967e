/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {SHIFT_CLOSED, SHIFT_EXPIRED} from "@scs_fiscal/overrides/store/pos_store";
import {AlertDialog} from "@web/core/confirmation_dialog/confirmation_dialog";
import {PaymentScreen} from "@point_of_sale/app/screens/payment_screen/payment_screen";
import {_t} from "@web/core/l10n/translation";
import {ask} from "@point_of_sale/app/store/make_awaitable_dialog";
import {patch} from "@web/core/utils/patch";

/** Shtrih-M's "no receipt paper" (6Bh), as the proxy's driver passes it on. */
const PAPER_OUT = 0x6b;
/** How many times the cashier is offered to print a refused receipt again. */
const CASHIER_TRIES = 3;

patch(PaymentScreen.prototype, {
    /** Runs once the order is synced, before the receipt is shown or printed. */
    async afterOrderValidation() {
        await this.scsFiscalize(this.currentOrder);
        return super.afterOrderValidation(...arguments);
    },

    async scsBlocked(callback) {
        this.env.services.ui.block();
        try {
            return await callback();
        } finally {
            this.env.services.ui.unblock();
        }
    },

    /** Have the server fiscalize the order now and keep what the receipt prints. */
    async scsFiscalize(order) {
        if (this.pos.config.scs_fiscal_mode === "none" || typeof order.id !== "number") {
            return;
        }
        let documents = null;
        try {
            const result = await this.scsBlocked(() =>
                this.pos.data.call("pos.order", "scs_fiscalize", [[order.id]])
            );
            documents = result[String(order.id)];
        } catch {
            // offline or refused: the fiscal queue registers the order later, and
            // the receipt says so
            return;
        }
        const printed = [];
        for (const document of documents) {
            // a local register's document is printed here, through the hardware proxy
            printed.push(document.relay ? await this.scsPrintLocal(document) : document);
        }
        order.uiState.scs_fiscal = printed;
        this.pos.scsRelayBacklog();
    },

    /** Print one document on the local register; offer the cashier to try again. */
    async scsPrintLocal(document) {
        let data = document;
        for (let attempt = 1; ; attempt++) {
            const relayed = await this.scsBlocked(() => this.pos.scsRelay(document.relay));
            data = relayed.data || data;
            const problem = data.state === "done" ? null : this.scsRelayProblem(relayed);
            if (!problem) {
                return data;
            }
            if (!problem.again || attempt >= CASHIER_TRIES) {
                this.dialog.add(AlertDialog, {
                    title: _t("Fiscal receipt not printed"),
                    body: problem.text,
                });
                return data;
            }
            const again = await ask(this.dialog, {
                title: _t("Fiscal receipt not printed"),
                body: problem.text,
                confirmLabel: _t("Print again"),
                cancelLabel: _t("Later"),
            });
            if (!again) {
                return data;
            }
        }
    },

    /**
     * What the cashier is told when the register or its proxy did not print;
     * ``again``: printing again may help (never twice: the proxy knows the receipt).
     */
    scsRelayProblem({answer, shift}) {
        if (shift) {
            // the register refused the receipt for its shift, and then the shift too
            let problem;
            if (shift.error) {
                problem = this.scsProxyRefusal(shift.error);
            } else if (shift.result.status === "failed") {
                problem = {again: false, text: shift.result.error_text || ""};
            } else {
                problem = this.scsResultProblem(shift.result);
            }
            return {
                again: problem.again,
                text: _t("The register did not open its shift. %s", problem.text),
            };
        }
        if (answer.error) {
            return this.scsProxyRefusal(answer.error);
        }
        if (answer.result.status === "done") {
            return null; // printed: the server learns it with the next relay
        }
        return this.scsResultProblem(answer.result);
    },

    /** A register's answer that is not "done" (a receipt, or a shift opening). */
    scsResultProblem(result) {
        const warnings = result.warnings || [];
        const detail = result.error_text || "";
        if (result.status === "failed") {
            return {
                again: false,
                text: _t(
                    "The register refused the receipt: %s. The card payments of this order went back to the card. Call a manager: the order needs a correction.",
                    detail
                ),
            };
        }
        if (result.status === "ask") {
            return {
                again: true,
                text: _t(
                    "The register did not confirm the receipt. Do not print it another way: printing again asks the register what it did, and the receipt is never printed twice."
                ),
            };
        }
        if (result.error_code === PAPER_OUT || warnings.includes("paper_out")) {
            return {
                again: true,
                text: _t("The register is out of paper: load a new roll, then print again."),
            };
        }
        // the proxy passes the error text on, not always the driver's warnings
        if (warnings.includes("cover_open") || /cover/i.test(detail)) {
            return {
                again: true,
                text: _t("The register's cover is open: close it, then print again."),
            };
        }
        if ([SHIFT_CLOSED, SHIFT_EXPIRED].includes(result.error_code)) {
            return {
                again: true,
                text: _t("The register refused the receipt for its shift: %s", detail),
            };
        }
        if (result.error_code === null || result.error_code === undefined) {
            return {
                again: true,
                text: _t(
                    "The fiscal register does not answer: check that it is on and connected to the office PC, then print again. (%s)",
                    detail
                ),
            };
        }
        return {again: true, text: _t("The register did not print the receipt: %s", detail)};
    },

    scsProxyRefusal(error) {
        switch (error.name) {
            case "no_money":
                return {
                    again: false,
                    text: _t(
                        "The terminal no longer holds the card payment of this order (declined, given back or unknown to the proxy), so the fiscal receipt is not printed. Call a manager: the order needs a correction."
                    ),
                };
            case "not_configured":
                return {
                    again: true,
                    text: _t(
                        "No fiscal register is connected to the hardware proxy, or this cash desk has no proxy address."
                    ),
                };
            case "AccessDenied":
                return {
                    again: false,
                    text: _t(
                        "The hardware proxy refused this cash desk: the pairing token does not match. An administrator pairs them again."
                    ),
                };
            case "connection_lost":
                return {
                    again: true,
                    text: _t(
                        "The hardware proxy does not answer: check that the office PC is on and the proxy runs, then print again. The receipt is never printed twice."
                    ),
                };
            default:
                return {
                    again: false,
                    text: _t("The hardware proxy refused the receipt: %s", error.message),
                };
        }
    },
});
