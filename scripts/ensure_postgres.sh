#!/usr/bin/env bash
# Make a real PostgreSQL server available for the storage tests (contracts §3):
# installs Debian's postgresql when missing, starts the cluster as the postgres user (the server
# refuses to run as root), and creates the test role and database. Idempotent.
# Prints the URL to use on its last line of standard output.
set -euo pipefail

ROLE=twitchcheck
PASSWORD=twitchcheck
DB=twitchcheck_test
PORT=${TWITCHCHECK_PG_PORT:-5432}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "ensure_postgres: not root and no sudo: cannot install or start PostgreSQL." >&2
        exit 1
    fi
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "ensure_postgres: installing Debian postgresql ..." >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$VERSION main$"; then
    $SUDO pg_createcluster "$VERSION" main -p "$PORT" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
    $SUDO pg_ctlcluster "$VERSION" main start
fi
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $3}')

psql_as_postgres() { $SUDO runuser -u postgres -- psql -p "$PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
for _ in $(seq 1 30); do
    psql_as_postgres -c "select 1" >/dev/null 2>&1 && break
    sleep 1
done
if [ "$(psql_as_postgres -c "select 1 from pg_roles where rolname='$ROLE'")" != "1" ]; then
    psql_as_postgres -c "create role $ROLE login password '$PASSWORD' createdb"
fi
if [ "$(psql_as_postgres -c "select 1 from pg_database where datname='$DB'")" != "1" ]; then
    psql_as_postgres -c "create database $DB owner $ROLE"
fi
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
