/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {HWPrinter} from "@point_of_sale/app/printer/hw_printer";
import {rpc} from "@web/core/network/rpc";

/** Odoo's proxy printer, with the pairing token the SCS hardware proxy asks for. */
export class ScsHWPrinter extends HWPrinter {
    /**
     * @param {Object} params
     * @param {String} params.url the proxy's address
     * @param {Function} params.headers returns the headers of one call
     */
    setup(params) {
        super.setup(...arguments);
        this.scsHeaders = params.headers;
    }

    sendAction(data) {
        return rpc(
            `${this.url}/hw_proxy/default_printer_action`,
            {data},
            {headers: this.scsHeaders()}
        );
    }
}
