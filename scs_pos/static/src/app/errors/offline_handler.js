/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {ConnectionLostError} from "@web/core/network/rpc";
import {registry} from "@web/core/registry";

/**
 * A sale made without the network is the normal course on a phone at the gate: the
 * order waits on the device and is sent when the network is back. Odoo still tells
 * the cashier once (its own handler, after this one); the console is not given an
 * error for it.
 */
function scsOfflineIsExpected(env, error, originalError) {
    if (originalError instanceof ConnectionLostError && error.event) {
        error.event.preventDefault();
    }
    return false;
}

registry.category("error_handlers").add("scsOfflineIsExpected", scsOfflineIsExpected, {
    sequence: 0,
});
