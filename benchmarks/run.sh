#!/usr/bin/env bash
# Runs the wsauth JMH benchmarks and writes JMH JSON, a Markdown table and an SVG chart.
#
#   benchmarks/run.sh            full run (about 45 minutes on 2 cores): results in benchmarks/results/
#   benchmarks/run.sh --quick    smoke test for CI: every benchmark, 1 short iteration, 1 fork, small batches
#                                (about 2 minutes): checks that they run, never how fast; results in
#                                benchmarks/results/quick/
# Options: --no-build (reuse benchmarks/target/benchmarks.jar), --out DIR, --only REGEX (groups whose name
# matches: opaque, concurrency, extractors, jwt, jwt-peers, jwt-single-use, handshakes, jdbc, memory, lifetime).
# lifetime (about 4 minutes): closing one subject's connections among 100,000 registered, against a full map scan
# and a bare index; the schedulers' round trip and idle CPU with 0 and 100,000 pending expiry timers; what the
# JWT revocation lookups cost a verification.
# jwt-peers (about 17 minutes, 5 forks): wsauth's JWT verification and its verified-token cache hit against auth0 java-jwt,
# jjwt, jose4j, bare Nimbus and the bare JDK signature check, HS256/ES256/EdDSA, time and bytes per verification.
#
# PostgreSQL (jdbc group): WSAUTH_BENCH_PG_URL (+ _USER, _PASSWORD) names a server; otherwise a throwaway cluster
# is started from local binaries (.ci/postgres.sh installs them). Without either the group is skipped with a
# message, unless WSAUTH_BENCH_REQUIRE_PG=true, which makes a missing PostgreSQL an error.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
build=1
only='.*'
out=''
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --only) only="$2"; shift ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$out" ]; then
  if [ $quick = 1 ]; then out=benchmarks/results/quick; else out=benchmarks/results; fi
fi
jar=benchmarks/target/benchmarks.jar

if [ $build = 1 ] || [ ! -f "$jar" ]; then
  echo "== building $jar"
  mvn -B -q -ntp -pl benchmarks -am package -DskipTests
fi
mkdir -p "$out"
if [ "$only" = '.*' ]; then
  rm -f "$out"/*.json "$out"/*.log
  machine="$out/machine.txt"
  : > "$machine"
else
  # A partial run replaces only its own groups' results and appends its conditions to machine.txt.
  machine="$out/machine.txt"
  echo "--- partial run: --only '$only'" >> "$machine"
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "mode: $([ $quick = 1 ] && echo quick || echo full)"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  echo "memory: $(free -h 2>/dev/null | awk '/^Mem:/ {print $2}')"
  echo "jdk: $(java -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "loadavg before: $(cat /proc/loadavg)"
} | tee -a "$machine"

# Quick mode: one fork, one warmup and one measurement iteration. Time-based benchmarks get short iterations;
# single-shot (batch) benchmarks get small batches (-bs would turn an average-time op into a batch, so it is
# only ever passed to the single-shot groups).
if [ $quick = 1 ]; then
  timed=(-f 1 -wi 1 -i 1 -w 200ms -r 200ms)
  peers=()
  handshakes=(-f 1 -wi 1 -i 1 -w 500ms -r 500ms)
  shot() { echo -f 1 -wi 2 -i 1 -bs "$1"; }
else
  timed=()
  # ES256 and EdDSA verification time differs by about 10% from one JVM to the next on this machine: 2 forks
  # cannot show a 5% bound against the JDK floor, 5 can (docs/BENCHMARKS.md 2b).
  peers=(-f 5)
  # Bytes allocated per handshake, to compare with the extractors' and the verifiers' own.
  handshakes=(-prof gc)
  shot() { :; }
  # CPU per handshake as well as handshakes per second, where perf can count task-clock (a software event, so it
  # works in VMs without hardware counters); the ratio of CPU times is far less noisy than the throughput ratio.
  if command -v perf >/dev/null 2>&1 && perf stat -e task-clock -x, true >/dev/null 2>&1; then
    handshakes+=(-prof 'perfnorm:events=task-clock')
  fi
fi

ran=()
skipped=()
jmh() {
  local name=$1; shift
  if ! [[ $name =~ ^($only)$ ]]; then return 0; fi
  echo "== $name"
  rm -f "$out/$name.json" "$out/$name.log"
  java -jar "$jar" "$@" -foe true -rf json -rff "$out/$name.json" 2>&1 | tee "$out/$name.log" \
    | grep -E '^(# Benchmark:|# Run complete|Benchmark|[A-Z][A-Za-z]+Benchmark\.)|Exception|Error' || true
  if [ "${PIPESTATUS[0]}" != 0 ]; then
    echo "run.sh: benchmark group $name failed; see $out/$name.log" >&2
    echo "benchmarks: ${#ran[@]} passed, 1 failed, ${#skipped[@]} skipped"
    exit 1
  fi
  ran+=("$name")
}

jmh opaque 'OpaqueTokenBenchmark' $(shot 2000)
jmh concurrency 'ConcurrentConsumeBenchmark' $([ $quick = 1 ] && echo -f 1 -wi 1 -i 1)
jmh extractors 'ExtractorBenchmark' -prof gc "${timed[@]}"
jmh jwt 'JwtVerifyBenchmark' "${timed[@]}"
jmh jwt-peers 'JwtPeersBenchmark|JavaJwtBenchmark|JwtSignatureOverheadBenchmark' -prof gc "${timed[@]}" "${peers[@]}"
jmh jwt-single-use 'JwtSingleUseBenchmark' $(shot 500)
jmh handshakes 'NettyHandshakeBenchmark|TomcatHandshakeBenchmark' "${handshakes[@]}"
if [ $quick = 1 ]; then
  jmh lifetime 'LifetimeRevokeBenchmark|LifetimeTimersBenchmark|JwtRevocationCheckBenchmark' -f 1 -wi 1 -i 1 -w 200ms -r 200ms -p timers=100000
else
  jmh lifetime 'LifetimeRevokeBenchmark|LifetimeTimersBenchmark|JwtRevocationCheckBenchmark'
fi

have_pg=0
if [ -n "${WSAUTH_BENCH_PG_URL:-}" ]; then
  have_pg=1
elif [ -n "${WSAUTH_PG_BIN:-}" ] && [ -x "${WSAUTH_PG_BIN}/pg_ctl" ]; then
  have_pg=1
elif ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1; then
  have_pg=1
fi
if [ $have_pg = 1 ]; then
  jmh jdbc 'JdbcConsumeBenchmark' $(shot 200)
elif [[ jdbc =~ ^($only)$ ]]; then
  msg="SKIPPED jdbc: no PostgreSQL configured (set WSAUTH_BENCH_PG_URL, or install PostgreSQL: .ci/postgres.sh)"
  if [ "${WSAUTH_BENCH_REQUIRE_PG:-}" = true ]; then
    echo "run.sh: $msg, but WSAUTH_BENCH_REQUIRE_PG=true" >&2
    exit 1
  fi
  echo "$msg"
  skipped+=(jdbc)
fi

if [[ memory =~ ^($only)$ ]]; then
  echo "== memory"
  if [ $quick = 1 ]; then
    mem=(--tokens 100000 --runs 1 --jol-tokens 10000)
  else
    mem=(--tokens 1000000 --runs 5 --jol-tokens 100000)
  fi
  java -Xmx2g -cp "$jar" io.github.wsauth.benchmarks.MemoryFootprint "${mem[@]}" --out "$out/memory.json" \
    > "$out/memory.log" 2>&1 || {
      cat "$out/memory.log"
      echo "run.sh: memory measurement failed" >&2
      echo "benchmarks: ${#ran[@]} passed, 1 failed, ${#skipped[@]} skipped"
      exit 1
    }
  grep -E 'median|JOL,' "$out/memory.log"
  ran+=(memory)
fi

echo "loadavg after: $(cat /proc/loadavg)" >> "$machine"
python3 benchmarks/report.py "$out" --svg "$out/benchmarks.svg" --markdown "$out/results.md" > /dev/null
echo "== results: $out/results.md, chart: $out/benchmarks.svg"
echo "benchmark groups run: ${ran[*]:-none}; skipped: ${skipped[*]:-none}"
echo "benchmarks: ${#ran[@]} passed, 0 failed, ${#skipped[@]} skipped"
