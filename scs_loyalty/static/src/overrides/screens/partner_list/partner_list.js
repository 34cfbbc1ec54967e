/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {PartnerList} from "@point_of_sale/app/screens/partner_list/partner_list";
import {patch} from "@web/core/utils/patch";
import {scsCardNumber} from "@scs_loyalty/overrides/models/res_partner";

patch(PartnerList.prototype, {
    /** The server's search also finds the customer by the points card number. */
    async getNewPartners() {
        const found = await super.getNewPartners(...arguments);
        const number = scsCardNumber(this.state.query);
        // the number is stored bare, so the standard search misses it typed in groups;
        // a query without a digit is a name, not a card number
        if (this.state.currentOffset || !/^[0-9A-Z]{4,20}$/.test(number) || !/\d/.test(number)) {
            return found;
        }
        const cards = await this.pos.data.searchRead(
            "res.partner",
            [["scs_loyalty_code", "=like", `${number}%`]],
            [],
            {limit: 30}
        );
        return [...new Set([...cards, ...found])];
    },
});
