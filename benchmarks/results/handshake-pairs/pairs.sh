#!/usr/bin/env bash
# Alternating pairs: baseline fork, then wsauth fork, per server, 3 rounds.
set -u
jar=benchmarks/target/benchmarks.jar
for round in 1 2 3; do
  for cls in NettyHandshakeBenchmark TomcatHandshakeBenchmark; do
    for side in baseline wsauth; do
      java -jar $jar "$cls.$side\$" -f 1 -prof 'perfnorm:events=task-clock' -rf json -rff benchmarks/results/handshake-pairs/$cls-$side-$round.json > benchmarks/results/handshake-pairs/$cls-$side-$round.log 2>&1 || echo "FAILED $cls $side $round"
    done
  done
done
echo finished
