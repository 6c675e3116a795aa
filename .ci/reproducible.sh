#!/usr/bin/env bash
# Reproducible-build check: builds the published modules twice from clean (same checkout, same flags) and compares
# the sha256 of every jar they produce (main, -sources, -javadoc). Exits 1 naming each jar that differs, or that
# only one build produced. The jars' entry times come from project.build.outputTimestamp (root pom).
# Runs Maven offline by default (after the CI's own build the plugins are in ~/.m2); MVN_FLAGS="" to go online.
# Never installs anything: `package` only, so the shared ~/.m2 is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
modules=core,testkit,jakarta-adapter,netty-adapter,spring,bom
[ -f jwt/pom.xml ] && modules="jwt,$modules"
read -r -a flags <<<"${MVN_FLAGS--o}"
out=$(mktemp -d "${TMPDIR:-/tmp}/wsauth-repro.XXXXXX")
trap 'rm -rf "$out"' EXIT

build() {
  local n=$1
  mvn -B -q "${flags[@]}" clean package -DskipTests -pl "$modules" -am
  mkdir -p "$out/$n"
  # Every jar of the published modules (the -am parent builds none).
  for m in ${modules//,/ }; do
    for jar in "$m"/target/*.jar; do
      [ -e "$jar" ] && cp "$jar" "$out/$n/"
    done
  done
  (cd "$out/$n" && sha256sum -- *.jar | sort -k2) >"$out/$n.sha256"
}

build 1
sleep 2 # a clock-dependent entry would now differ by at least one DOS-time step (2 s)
build 2

status=0
count=$(wc -l <"$out/1.sha256")
if [ "$count" -eq 0 ]; then
  echo "reproducible: the build produced no jar" >&2
  exit 1
fi
while read -r sum jar; do
  other=$(awk -v j="$jar" '$2 == j {print $1}' "$out/2.sha256")
  if [ -z "$other" ]; then
    echo "reproducible: $jar was built only by the first build" >&2
    status=1
  elif [ "$other" != "$sum" ]; then
    echo "reproducible: $jar differs between two clean builds ($sum vs $other)" >&2
    status=1
  fi
done <"$out/1.sha256"
while read -r _ jar; do
  grep -q " $jar\$" "$out/1.sha256" || { echo "reproducible: $jar was built only by the second build" >&2; status=1; }
done <"$out/2.sha256"
if [ "$status" -eq 0 ]; then
  echo "reproducible: $count jars byte-identical across two clean builds ($(($(date +%s) - start)) s)"
  sed 's/^/  /' "$out/1.sha256"
fi
exit "$status"
