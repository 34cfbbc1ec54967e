/* Copyright 2026 SCS
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {PartnerLine} from "@point_of_sale/app/screens/partner_list/partner_line/partner_line";
import {formatFloat} from "@web/core/utils/numbers";
import {patch} from "@web/core/utils/patch";

patch(PartnerLine.prototype, {
    scsPoints(partner) {
        return formatFloat(partner.scs_points_balance, {digits: [69, 0]});
    },
});
