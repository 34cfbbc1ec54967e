# Copyright 2026 SCS
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sign-in through the directory: SCS roles and offices from directory groups,
the service account's password encrypted, a user's presence in the directory."""

import logging

import ldap
from ldap.filter import filter_format

from odoo import Command, api, fields, models
from odoo.exceptions import AccessDenied, UserError
from odoo.tools import SQL, config
from odoo.tools.sql import column_exists

from ..engine import directory, secret_box

_logger = logging.getLogger(__name__)

SECRET_OPTION = "scs_secret_key"
PASSWORD_PURPOSE = "res.company.ldap bind password"
NETWORK_TIMEOUT = 5  # seconds to reach the directory; the search itself has auth_ldap's 60
DEFAULT_GROUP_FILTER = "(|(objectClass=groupOfNames)(objectClass=group))"
ROLE_GROUPS = {
    "cashier": "scs_pos.group_scs_cashier",
    "manager": "scs_pos.group_scs_manager",
    "accountant": "scs_pos.group_scs_accountant",
    "admin": "scs_pos.group_scs_admin",
}


class DirectoryUnreachable(Exception):
    """The directory did not answer (or refused the service account)."""


class ResCompanyLdap(models.Model):
    _inherit = "res.company.ldap"

    # auth_ldap keeps this in clear: here it is write-only and encrypted into
    # scs_ldap_password_encrypted; its column stays empty (see init)
    ldap_password = fields.Char(
        compute="_compute_ldap_password",
        inverse="_inverse_ldap_password",
        help="The password of the service account that queries the directory. It is "
        "write-only and kept encrypted with the server's scs_secret_key option.",
    )
    ldap_filter = fields.Char(
        help="Filter that finds the account of the login typed by the user; every %s is "
        "replaced by that login and the filter must find exactly one account. It must "
        "leave out disabled accounts, e.g. for Active Directory: "
        "(&(objectCategory=person)(objectClass=user)(sAMAccountName=%s)"
        "(!(userAccountControl:1.2.840.113556.1.4.803:=2))); for OpenLDAP, exclude "
        "whatever marks a disabled account, e.g. "
        "(&(objectClass=inetOrgPerson)(uid=%s)(!(description=disabled)))."
    )
    scs_ldap_password_encrypted = fields.Char(
        string="Encrypted Bind Password", copy=False, groups="base.group_system"
    )
    scs_ldap_password_set = fields.Boolean(
        string="Bind Password Saved", compute="_compute_ldap_password"
    )
    scs_group_base = fields.Char(
        string="Group Base",
        help="DN under which the directory groups are searched; empty: the LDAP base.",
    )
    scs_group_filter = fields.Char(
        string="Group Filter",
        default=DEFAULT_GROUP_FILTER,
        help="Filter of the directory groups; SCS adds (member=<the user's DN>) to it, "
        "which works with Active Directory and OpenLDAP alike.",
    )
    scs_group_map_ids = fields.One2many(
        "scs.ldap.group.map", "ldap_id", string="SCS Roles from Directory Groups"
    )

    def init(self):
        # a password auth_ldap stored in clear before SCS: encrypt it, then empty the column
        cr = self.env.cr
        if not column_exists(cr, self._table, "ldap_password"):
            return
        cr.execute(
            SQL(
                "SELECT id, ldap_password FROM res_company_ldap "
                "WHERE ldap_password IS NOT NULL AND ldap_password != ''"
            )
        )
        for ldap_id, password in cr.fetchall():
            key = config.get(SECRET_OPTION)
            if key:
                cr.execute(
                    SQL(
                        "UPDATE res_company_ldap SET scs_ldap_password_encrypted = %s "
                        "WHERE id = %s",
                        secret_box.seal(key, PASSWORD_PURPOSE, password),
                        ldap_id,
                    )
                )
            else:
                _logger.warning(
                    "LDAP server %s: its bind password was kept in clear and is now "
                    "removed; set %s in odoo.conf and enter it again",
                    ldap_id,
                    SECRET_OPTION,
                )
        cr.execute(SQL("UPDATE res_company_ldap SET ldap_password = NULL"))

    def _compute_ldap_password(self):
        for conf in self:
            conf.ldap_password = False
            conf.scs_ldap_password_set = bool(conf.sudo().scs_ldap_password_encrypted)

    def _inverse_ldap_password(self):
        for conf in self:
            token = False
            if conf.ldap_password:
                token = secret_box.seal(
                    self._scs_secret_key(), PASSWORD_PURPOSE, conf.ldap_password
                )
            conf.sudo().scs_ldap_password_encrypted = token

    @api.model
    def _scs_secret_key(self):
        key = config.get(SECRET_OPTION) or ""
        if len(key) < secret_box.MIN_KEY_LENGTH:
            raise UserError(
                self.env._(
                    "The LDAP bind password cannot be saved: no secret key to encrypt it "
                    "with. Add a line “%(option)s = <a random string of at least "
                    "%(length)s characters>” to the [options] section of the Odoo "
                    "configuration file (odoo.conf), restart Odoo and save again.",
                    option=SECRET_OPTION,
                    length=secret_box.MIN_KEY_LENGTH,
                )
            )
        return key

    def _get_ldap_dicts(self):
        confs = super()._get_ldap_dicts()
        tokens = dict(
            self.sudo()
            .browse([conf["id"] for conf in confs])
            .mapped(lambda c: (c.id, c.scs_ldap_password_encrypted))
        )
        for conf in confs:
            conf["ldap_password"] = ""
            if tokens.get(conf["id"]):
                try:
                    conf["ldap_password"] = secret_box.unseal(
                        config.get(SECRET_OPTION) or "", PASSWORD_PURPOSE, tokens[conf["id"]]
                    )
                except (ValueError, secret_box.InvalidToken):
                    _logger.error(
                        "LDAP server %s: its bind password cannot be decrypted; check %s "
                        "in odoo.conf (it must be the key it was saved with)",
                        conf["id"],
                        SECRET_OPTION,
                    )
        return confs

    def _connect(self, conf):
        connection = super()._connect(conf)
        # an unreachable directory must not hold a POS sync for long
        connection.__obj__.set_option(ldap.OPT_NETWORK_TIMEOUT, NETWORK_TIMEOUT)
        return connection

    # the directory as SCS reads it

    def _scs_search(self, conf, base, ldap_filter, attributes, scope=ldap.SCOPE_SUBTREE):
        """Entries (dn, attrs) found with the service account; unlike auth_ldap's
        _query, a failure raises DirectoryUnreachable instead of finding nothing."""
        try:
            conn = self._connect(conf)
            conn.simple_bind_s(conf["ldap_binddn"] or "", conf["ldap_password"] or "")
            results = conn.search_st(base, scope, ldap_filter, attributes, timeout=60)
            conn.unbind()
        except ldap.LDAPError as e:  # NO_SUCH_OBJECT too: a wrong base is no answer
            raise DirectoryUnreachable(str(e)) from e
        return [(dn, attrs) for dn, attrs in results if dn]

    def _scs_find_account(self, conf, login):
        """The DN of ``login``'s account as ldap_filter finds it, else False."""
        placeholders = conf["ldap_filter"].count("%s")
        found = self._scs_search(
            conf,
            conf["ldap_base"],
            filter_format(conf["ldap_filter"], [login] * placeholders),
            ["cn"],
        )
        if len(found) == 1:
            return found[0][0]
        # not found: only an answer if the service account can read the base at all
        if not self._scs_search(
            conf, conf["ldap_base"], "(objectClass=*)", ["1.1"], scope=ldap.SCOPE_BASE
        ):
            raise DirectoryUnreachable(f"the service account cannot read {conf['ldap_base']}")
        return False

    def _scs_grant(self, conf, user_dn):
        """The role and offices the directory gives ``user_dn`` (engine Grant), or None."""
        server = self.sudo().browse(conf["id"])
        group_filter = server.scs_group_filter or DEFAULT_GROUP_FILTER
        if not group_filter.startswith("("):
            group_filter = f"({group_filter})"
        found = self._scs_search(
            conf,
            server.scs_group_base or conf["ldap_base"],
            filter_format(f"(&{group_filter}(member=%s))", [user_dn]),
            ["cn"],
        )
        groups = [
            directory.Group(dn, tuple(cn.decode() for cn in attrs.get("cn", [])))
            for dn, attrs in found
        ]
        rules = [
            directory.GroupRule(line.group_dn, line.role, tuple(line.office_ids.ids))
            for line in server.scs_group_map_ids
        ]
        return directory.resolve(rules, groups)

    def _scs_grant_or_refuse(self, conf, login, user_dn):
        try:
            grant = self._scs_grant(conf, user_dn)
        except DirectoryUnreachable as e:
            _logger.warning("LDAP sign-in refused for %s: groups not readable (%s)", login, e)
            return None
        if not grant:
            _logger.warning(
                "LDAP sign-in refused for %s (%s): member of no directory group mapped to "
                "an SCS role on LDAP server %s",
                login,
                user_dn,
                conf["id"],
            )
        return grant

    # auth_ldap's sign-in paths

    def _scs_active_user(self, login):
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_users WHERE lower(login) = %s AND active",
                login.lower().strip(),
            )
        )
        row = self.env.cr.fetchone()
        return self.env["res.users"].sudo().browse(row[0] if row else [])

    def _authenticate(self, conf, login, password):
        entry = super()._authenticate(conf, login, password)
        if not entry:
            return entry
        grant = self._scs_grant_or_refuse(conf, login, entry[0])
        if not grant:
            return False
        # a user signing in again: auth_ldap does not call _get_or_create_user for them
        user = self._scs_active_user(login)
        if user:
            self._scs_apply_grant(user, conf, entry[0], grant)
        return entry

    def _map_ldap_attributes(self, conf, login, ldap_entry):
        values = super()._map_ldap_attributes(conf, login, ldap_entry)
        # auth_ldap sets company_id only: the allowed companies must hold it too
        values["company_ids"] = [Command.set([values["company_id"]])]
        return values

    def _get_or_create_user(self, conf, login, ldap_entry):
        existed = bool(self._scs_active_user(login))
        user_id = super()._get_or_create_user(conf, login, ldap_entry)
        user = self.env["res.users"].sudo().browse(user_id)
        if not existed:  # just created: _authenticate had no user to apply the grant to
            grant = self._scs_grant_or_refuse(conf, login, ldap_entry[0])
            if not grant:
                raise AccessDenied()
            if not conf["user"]:
                # not the default groups of a new user: an employee, then the SCS role
                user.groups_id = [Command.set(self.env.ref("base.group_user").ids)]
            self._scs_apply_grant(user, conf, ldap_entry[0], grant)
        return user_id

    def _scs_apply_grant(self, user, conf, user_dn, grant):
        """Give ``user`` exactly the SCS role and offices of ``grant``: the other SCS
        roles go, with the groups they brought that the new role does not bring."""
        user = user.sudo()
        roles = {role: self.env.ref(xmlid) for role, xmlid in ROLE_GROUPS.items()}
        role = roles[grant.role]
        base = self.env.ref("base.group_user")
        keep = role | role.trans_implied_ids | base | base.trans_implied_ids
        others = self.env["res.groups"].union(*roles.values()) - role
        drop = user.groups_id & ((others | others.trans_implied_ids) - keep)
        # what the groups the user keeps imply comes back anyway: leave it
        drop -= (user.groups_id - drop).trans_implied_ids
        Office = self.env["scs.office"].sudo().with_context(active_test=False)
        offices = Office.browse(grant.office_ids).exists()
        current = Office.search([("user_ids", "in", user.id)])
        changed = bool(drop) or role not in user.groups_id or offices != current
        vals = {
            "scs_ldap_dn": user_dn,
            "scs_ldap_server_id": conf["id"],
            "scs_ldap_checked_at": fields.Datetime.now(),
        }
        if drop or role not in user.groups_id:
            vals["groups_id"] = [Command.unlink(g.id) for g in drop] + [Command.link(role.id)]
        user.write(vals)
        (current - offices).write({"user_ids": [Command.unlink(user.id)]})
        (offices - current).write({"user_ids": [Command.link(user.id)]})
        if changed:
            _logger.info(
                "LDAP: %s gets SCS role %s and offices %s from directory groups %s",
                user.login,
                grant.role,
                ", ".join(offices.mapped("code")) or "-",
                "; ".join(grant.groups),
            )
            user.partner_id.message_post(
                body=self.env._(
                    "Sign-in through the directory: role %(role)s, offices %(offices)s "
                    "(directory groups: %(groups)s).",
                    role=role.name,
                    offices=", ".join(offices.mapped("display_name")) or "-",
                    groups="; ".join(grant.groups),
                ),
                subtype_xmlid="mail.mt_note",
            )

    # still in the directory?

    @api.model
    def _scs_check_users(self, users):
        """Deactivate the users of ``users`` (provisioned from the directory) that the
        directory no longer has: deleted, or left out by the filter (disabled). A server
        that does not answer deactivates nobody. Returns the users deactivated."""
        confs = {conf["id"]: conf for conf in self._get_ldap_dicts()}
        gone = self.env["res.users"]
        now = fields.Datetime.now()
        for user in users.sudo().filtered(lambda u: u.active and u.scs_ldap_dn):
            conf = confs.get(user.scs_ldap_server_id.id)
            if not conf:
                continue
            try:
                user_dn = self._scs_find_account(conf, user.login)
            except DirectoryUnreachable as e:
                _logger.warning(
                    "LDAP server %s unreachable (%s): %s stays active until it answers",
                    conf["id"],
                    e,
                    user.login,
                )
                user.scs_ldap_checked_at = now
                continue
            if user_dn:
                user.write({"scs_ldap_dn": user_dn, "scs_ldap_checked_at": now})
            else:
                user.scs_ldap_checked_at = now
                gone |= user
        for user in gone:
            _logger.warning(
                "LDAP: %s (%s) is disabled or gone in the directory: user deactivated",
                user.login,
                user.scs_ldap_dn,
            )
            user.partner_id.message_post(
                body=self.env._(
                    "Deactivated: the directory no longer has this account "
                    "(disabled or deleted)."
                ),
                subtype_xmlid="mail.mt_note",
            )
        if gone:
            gone.write({"active": False})
            # the session token covers `active`, so their sessions no longer pass
            # check_session; log them out of every device as well
            for user in gone:
                user._action_revoke_all_devices()
        return gone
