/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {ResPartner} from "@point_of_sale/app/models/res_partner";
import {patch} from "@web/core/utils/patch";

/**
 * A card number as typed or scanned, read as the server reads it (engine/codes.py):
 * no spaces or dashes, upper case, O as 0, I and L as 1.
 */
export function scsCardNumber(text) {
    return (text || "")
        .replace(/[\s-]/g, "")
        .toUpperCase()
        .replace(/O/g, "0")
        .replace(/[IL]/g, "1");
}

patch(ResPartner.prototype, {
    /** The points card number, bare (as stored) and in its printed groups of four. */
    get searchString() {
        const code = this.scs_loyalty_code;
        if (!code) {
            return super.searchString;
        }
        return `${super.searchString} ${code} ${code.match(/.{1,4}/g).join("-")}`;
    },

    exactMatch(searchWord) {
        return (
            super.exactMatch(...arguments) ||
            (Boolean(this.scs_loyalty_code) && scsCardNumber(searchWord) === this.scs_loyalty_code)
        );
    },
});
