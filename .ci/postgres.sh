#!/usr/bin/env bash
# Makes the PostgreSQL binaries available for the JDBC token store tests (testkit module).
# The tests start their own throwaway cluster (initdb into a temp dir, pg_ctl on a free port, run as the
# 'postgres' user when we are root), so no server needs to be running: this only installs Debian's packages.
# Idempotent; run as root on a fresh Debian machine. With CI=true the tests FAIL if the binaries are missing.
set -euo pipefail

have_pg() {
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      return 0
    fi
  done
  return 1
}

if ! have_pg || ! id postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql
fi

have_pg || { echo "postgres.sh: PostgreSQL binaries still missing after install" >&2; exit 1; }
id postgres >/dev/null 2>&1 || { echo "postgres.sh: no 'postgres' user after install" >&2; exit 1; }
command -v runuser >/dev/null 2>&1 || { echo "postgres.sh: runuser (util-linux) is missing" >&2; exit 1; }
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && echo "postgres.sh: PostgreSQL binaries in $d ($("$d/postgres" --version))"
done
