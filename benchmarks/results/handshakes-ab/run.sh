#!/bin/bash
# Interleaved A/B of the wsauth handshake variant: 3e2a095 (old) vs current main (new), query credential, 1 fork each.
OLD=/work/h-old/benchmarks/target/benchmarks.jar
NEW=/work/main/benchmarks/target/benchmarks.jar
for round in ${ROUNDS:-1 2 3}; do
  for bench in ${BENCHES:-NettyHandshakeBenchmark TomcatHandshakeBenchmark}; do
    for v in old new; do
      jar=$OLD; [ $v = new ] && jar=$NEW
      java -jar $jar "io.github.wsauth.benchmarks.$bench.wsauth" -p credential=query -f 1 \
        -prof 'perfnorm:events=task-clock' -rf json -rff /work/notes/ab/$bench-$v-$round.json > /work/notes/ab/$bench-$v-$round.log 2>&1
      echo "$(date +%T) $bench $v $round rc=$?"
    done
  done
done
