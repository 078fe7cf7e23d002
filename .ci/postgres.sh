# Sourced by .ci/run: a throw-away PostgreSQL server on 127.0.0.1 for the tests, stopped on exit.
# Exports QUOTES_TEST_PG_URL (a maintenance URL: the tests create and drop their own databases) and
# QUOTES_PG_URL (an empty database "quotes" for a session of one's own: QUOTES_DB=$QUOTES_PG_URL).
# Alone: `bash .ci/postgres.sh start` prints the export lines and leaves the server running;
# `bash .ci/postgres.sh stop DIR` stops the one whose data folder is DIR.

_pg_bin() {
    # Debian's packaged server first, then whatever is on PATH
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
    done
    command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return; }
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        # a fresh machine: Debian's postgresql package (it also makes the postgres user)
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        for dir in /usr/lib/postgresql/*/bin; do
            [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
        done
    fi
    return 1
}

_pg_rum() {
    # RUM, the index access method behind ranked search's index (migration 0011), for the server in $1:
    # Debian's postgresql-NN-rum, installed beside the server when root with apt. Without it the migration
    # makes no RUM index and search ranks with ts_rank over the GIN index: the tests pass either way.
    local bin=$1 major
    major=$("$bin/postgres" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')
    [ -e "$("$bin/pg_config" --sharedir 2>/dev/null)/extension/rum.control" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$major-rum" >&2 ||
            { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$major-rum" >&2; } ||
            echo "postgres.sh: postgresql-$major-rum not installable: search ranks over the GIN index" >&2
    fi
    return 0
}

_pg_as() {
    # the server refuses to run as root: run it as the postgres user there
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

quotes_pg_start() {
    local bin port
    bin=$(_pg_bin) || { echo "postgres.sh: no PostgreSQL server found or installable" >&2; return 1; }
    _pg_rum "$bin"
    QUOTES_PG_DIR=$(mktemp -d /tmp/quotes-pg.XXXXXX)
    chmod 755 "$QUOTES_PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$QUOTES_PG_DIR"
    # a free port: the kernel picks one for a socket bound to port 0
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    _pg_as "$bin/initdb" -D "$QUOTES_PG_DIR/data" -U quotes --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # durability off: a test server that dies loses nothing anyone wants, and fsync would slow every test
    _pg_as "$bin/pg_ctl" -D "$QUOTES_PG_DIR/data" -l "$QUOTES_PG_DIR/log" -w start \
        -o "-h 127.0.0.1 -p $port -k $QUOTES_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
    _pg_as "$bin/createdb" -h 127.0.0.1 -p "$port" -U quotes quotes
    QUOTES_PG_BIN=$bin
    export QUOTES_PG_DIR QUOTES_PG_BIN
    export QUOTES_TEST_PG_URL="postgresql+psycopg://quotes@127.0.0.1:$port/postgres"
    export QUOTES_PG_URL="postgresql://quotes@127.0.0.1:$port/quotes"
}

quotes_pg_stop() {
    local dir=${1:-${QUOTES_PG_DIR:-}} bin=${QUOTES_PG_BIN:-$(_pg_bin)}
    [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
    _pg_as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${BASH_SOURCE[0]}" in
    "$0")  # run, not sourced
        set -euo pipefail
        case "${1:-}" in
            start) quotes_pg_start
                   echo "export QUOTES_PG_URL=$QUOTES_PG_URL QUOTES_TEST_PG_URL=$QUOTES_TEST_PG_URL QUOTES_PG_DIR=$QUOTES_PG_DIR"
                   echo "# stop it with: bash .ci/postgres.sh stop \"\$QUOTES_PG_DIR\"" ;;
            stop) quotes_pg_stop "${2:?the data folder start printed}" ;;
            *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
        esac ;;
    *)  # sourced
        quotes_pg_start && trap quotes_pg_stop EXIT ;;
esac
