#!/usr/bin/env bash
# CI smoke test of the JMH benchmarks (benchmarks/run.sh --quick): every benchmark runs once, briefly, with small
# batches; it checks that they run, never how fast. Reuses benchmarks/target/benchmarks.jar when `mvn verify`
# already built it. Needs python3 for the report (installed here if missing). When PostgreSQL is expected
# (CI=true and .ci/postgres.sh present: the JDBC store's tests need it too), a missing PostgreSQL fails the JDBC
# benchmark instead of skipping it. Idempotent; run as root on a fresh Debian machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v python3 >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3
fi
if [ "${CI:-}" = true ] && [ -f .ci/postgres.sh ]; then
  export WSAUTH_BENCH_REQUIRE_PG="${WSAUTH_BENCH_REQUIRE_PG:-true}"
fi
args=(--quick)
if [ -f benchmarks/target/benchmarks.jar ]; then
  args+=(--no-build)
fi
exec benchmarks/run.sh "${args[@]}"
