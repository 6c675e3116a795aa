#!/usr/bin/env bash
# Alternating pairs: per server, a baseline fork and then a wsauth fork (both credentials each), ROUNDS times,
# so that a drift over the run (TIME_WAIT sockets, heat, other load) cannot favour one side. Each fork runs
# with the class's own settings: warmups, then pinned to one CPU (see HandshakeFixtures). Run from the repo root
# after `mvn -q -B package -DskipTests -pl benchmarks -am`; summarize.py prints the table.
set -u
rounds=${ROUNDS:-3}
jar=benchmarks/target/benchmarks.jar
dir=benchmarks/results/handshake-pairs
rm -f "$dir"/*.json "$dir"/*.log
for round in $(seq 1 "$rounds"); do
  for cls in NettyHandshakeBenchmark TomcatHandshakeBenchmark; do
    for side in baseline wsauth; do
      java -jar $jar "$cls.$side\$" -f 1 -prof 'perfnorm:events=task-clock' -rf json \
        -rff "$dir/$cls-$side-$round.json" > "$dir/$cls-$side-$round.log" 2>&1 || echo "FAILED $cls $side $round"
    done
  done
done
echo finished
