# shellcheck shell=bash
# Set-up shared by `./scs demo` and `./scs test`: sourced, not run.
# Everything it makes lives in $WORK (the ignored .work/ folder); the only writes
# elsewhere are package installs (apt, pip cache).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/.work"
VENV="$WORK/venv"
PGDATA="$WORK/pg/data"
PGRUN="$WORK/pg/run"
PGPORT="${SCS_PGPORT:-54329}"
PGUSER_DB="scs"
ODOO_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/odoo-18.0"
ODOO_GIT_URL="https://github.com/odoo/odoo.git"
export PGHOST="$PGRUN" PGPORT PGUSER="$PGUSER_DB"

say() { printf '\033[1m[scs]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[scs] error:\033[0m %s\n' "$*" >&2; exit 2; }

as_root_or_die() {
    # $1: what is missing, $2: the package(s) that provide it
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing $2 (for $1)"
        if [ ! -f "$WORK/.apt-updated" ]; then
            apt-get update -qq >&2 && mkdir -p "$WORK" && touch "$WORK/.apt-updated"
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >&2
    else
        die "$1 is missing. Install it with: sudo apt-get install $2"
    fi
}

# --- system packages --------------------------------------------------------
pg_bindir() {
    local d
    for d in /usr/lib/postgresql/{17,16,15,14}/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    return 1
}

ensure_system() {
    local missing=()
    pg_bindir >/dev/null || missing+=(postgresql)
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
        || command -v google-chrome >/dev/null || missing+=(chromium)
    # python-ldap (Odoo's auth_ldap) and psycopg2 build from source against these
    [ -e /usr/include/ldap.h ] || missing+=(libldap2-dev)
    [ -e /usr/include/sasl/sasl.h ] || missing+=(libsasl2-dev)
    command -v pg_config >/dev/null || missing+=(libpq-dev)
    # the LDAP sign-in tests start their own OpenLDAP server (slapd, slapadd)
    command -v slapd >/dev/null || [ -x /usr/sbin/slapd ] || missing+=(slapd ldap-utils)
    if [ ${#missing[@]} -gt 0 ]; then
        as_root_or_die "${missing[*]}" "${missing[*]}"
    fi
}

# --- Python -----------------------------------------------------------------
find_python() {
    local c
    for c in "${SCS_PYTHON:-}" python3.12 python3.11 python3.10 python3; do
        [ -n "$c" ] || continue
        if "$c" -c 'import sys, venv; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' \
            >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    die "Odoo 18.0 needs Python 3.10, 3.11 or 3.12 with venv; none found (set SCS_PYTHON to one)."
}

# --- Odoo source ------------------------------------------------------------
is_odoo18_tree() {
    [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] \
        && grep -q "^version_info = (18, 0," "$1/odoo/release.py" \
        && [ -f "$1/odoo/addons/web/static/lib/owl/owl.js" -o -f "$1/addons/web/static/lib/owl/owl.js" ]
}

find_odoo() {
    local c
    for c in "${ODOO_SRC:-}" "$ODOO_CACHE"; do
        [ -n "$c" ] || continue
        if is_odoo18_tree "$c"; then
            (cd "$c" && pwd)
            return 0
        fi
        if [ -d "$c" ] && [ -n "$(ls -A "$c" 2>/dev/null)" ]; then
            say "$c is not a complete Odoo 18.0 source tree (odoo-bin, odoo/release.py and web/static/lib are needed)"
        fi
    done
    if command -v git >/dev/null && [ ! -e "$ODOO_CACHE" ]; then
        say "no Odoo 18.0 tree found: cloning the official 18.0 branch into $ODOO_CACHE"
        if timeout 900 git clone --quiet --depth 1 --branch 18.0 "$ODOO_GIT_URL" "$ODOO_CACHE.part" >&2; then
            mv "$ODOO_CACHE.part" "$ODOO_CACHE"
            echo "$ODOO_CACHE"
            return 0
        fi
        rm -rf "$ODOO_CACHE.part"
    fi
    die "Odoo 18.0 source not found.
    Provide a complete Odoo 18.0 source tree (with its web/static/lib assets) in one of:
      - \$ODOO_SRC (any folder), or
      - $ODOO_CACHE (the cache location set-up looks in)
    e.g.: git clone --depth 1 --branch 18.0 $ODOO_GIT_URL $ODOO_CACHE"
}

pip_q() {
    # pip, quiet; this machine's pip config may name index folders that do not exist
    local rc
    set +o pipefail
    "$VENV/bin/python" -m pip install -q "$@" 2>&1 | { grep -v "is ignored: it is neither" || true; } >&2
    rc=${PIPESTATUS[0]}
    set -o pipefail
    [ "$rc" = 0 ] || die "pip install $* failed"
}

ensure_venv() {
    local odoo_src py stamp want
    odoo_src="$(find_odoo)"
    py="$(find_python)"
    want="$(cat "$ROOT/requirements.txt" "$ROOT/requirements-oca.txt" "$odoo_src/requirements.txt" \
        | sha1sum | cut -c1-16) $odoo_src $py"
    stamp="$VENV/.scs-installed"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/python" ]; then
        return 0
    fi
    ensure_system
    say "creating the virtualenv in $VENV with $py"
    [ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV"
    # Odoo 18's pinned packages build with the setuptools of their time
    printf 'setuptools<81\n' > "$WORK/pip-constraints.txt"
    export PIP_CONSTRAINT="$WORK/pip-constraints.txt" PIP_BUILD_CONSTRAINT="$WORK/pip-constraints.txt"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    pip_q "setuptools<81" wheel
    say "installing Odoo 18.0's requirements (first time: a few minutes)"
    pip_q -r "$odoo_src/requirements.txt"
    say "installing SCS requirements"
    pip_q -r "$ROOT/requirements.txt"
    # OCA add-ons (benchmarks): without their dependencies, which name the `odoo`
    # distribution; they land in site-packages/odoo/addons, on Odoo's addons path
    say "installing OCA add-ons (requirements-oca.txt)"
    pip_q --no-deps -r "$ROOT/requirements-oca.txt"
    # Odoo goes in as a path entry, not `pip install -e`: some source trees ship a
    # setup.py that is not Odoo's own
    local site
    site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    printf '%s\n' "$odoo_src" > "$site/odoo-src.pth"
    ln -sf "$odoo_src/odoo-bin" "$VENV/bin/odoo-bin"
    "$VENV/bin/python" -c 'import odoo.release as r; assert r.version_info[:2] == (18, 0), r.version' \
        || die "the virtualenv cannot import Odoo 18.0 from $odoo_src"
    printf '%s' "$want" > "$stamp"
}

ensure_prettier() {
    # prettier + XML plugin for the lint hooks, from the npm registry, inside .work
    if [ ! -x "$WORK/node/node_modules/.bin/prettier" ]; then
        command -v npm >/dev/null || as_root_or_die "npm (for prettier)" "npm"
        say "installing prettier"
        mkdir -p "$WORK/node"
        npm install --silent --prefix "$WORK/node" --no-audit --no-fund \
            prettier@3.3.3 @prettier/plugin-xml@3.4.1 >&2
    fi
}

# --- PostgreSQL -------------------------------------------------------------
# The cluster runs as a non-root OS user (PostgreSQL refuses root); its superuser
# role is `scs` (Odoo refuses the role `postgres`), reachable only on a local socket.
pg_os_user() {
    if [ "$(id -u)" = 0 ]; then echo nobody; else id -un; fi
}

pg_run() {
    local bindir
    bindir="$(pg_bindir)"
    if [ "$(id -u)" = 0 ]; then
        runuser -u nobody -- "$bindir/$1" "${@:2}"
    else
        "$bindir/$1" "${@:2}"
    fi
}

ensure_pg() {
    ensure_system
    mkdir -p "$WORK/pg" "$PGRUN"
    chmod 755 "$WORK" "$WORK/pg"
    if [ "$(id -u)" = 0 ]; then
        chown nobody "$WORK/pg" "$PGRUN"
        # the cluster user must be able to reach its folder
        local d="$WORK"
        while [ "$d" != / ]; do
            [ -x "$d" ] || die "$d must be traversable by the PostgreSQL user"
            d="$(dirname "$d")"
        done
    fi
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        say "creating a private PostgreSQL cluster in $PGDATA"
        pg_run initdb -D "$PGDATA" -U "$PGUSER_DB" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >> "$PGDATA/postgresql.conf" <<EOF
# SCS private cluster: local socket only
listen_addresses = ''
unix_socket_directories = '$PGRUN'
port = $PGPORT
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = 200
EOF
    fi
    if ! pg_run pg_ctl -D "$PGDATA" status >/dev/null 2>&1; then
        say "starting PostgreSQL (socket $PGRUN, port $PGPORT)"
        pg_run pg_ctl -D "$PGDATA" -l "$WORK/pg/server.log" -w -t 60 start >/dev/null \
            || { tail -20 "$WORK/pg/server.log" >&2; die "PostgreSQL did not start"; }
    fi
}

psql_q() {
    "$(pg_bindir)/psql" -X -q -t -A -d postgres "$@"
}

db_exists() {
    [ "$(echo "SELECT 1 FROM pg_database WHERE datname = :'name'" | psql_q -v name="$1")" = 1 ]
}

odoo() {
    # Odoo with the project's odoo.conf and the private cluster; `odoo shell ...` too
    local sub=()
    case "${1:-}" in -*|"") ;; *) sub=("$1"); shift ;; esac
    (cd "$ROOT" && "$VENV/bin/python" "$VENV/bin/odoo-bin" "${sub[@]}" -c "$ROOT/odoo.conf" \
        --db_host="$PGRUN" --db_port="$PGPORT" --db_user="$PGUSER_DB" \
        --data-dir="$WORK/data" "$@")
}

setup_all() {
    mkdir -p "$WORK"
    ensure_system
    ensure_venv
    ensure_pg
}
