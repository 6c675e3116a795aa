#!/usr/bin/env bash
# Consumer check: installs the published artifacts (parent, BOM, core, testkit, adapters, and jwt when it exists)
# into a THROWAWAY local repository seeded by copying ~/.m2/repository (the shared ~/.m2 is never written), then
# builds the consumer projects against them as a user would: testkit/src/it/junit6 (a JUnit 6.1 project importing
# wsauth-bom and running the TokenStore contract kit on TokenStore.inMemory). Exits non-zero if either step fails.
# Runs Maven online by default: the consumer's JUnit 6 is not among the reactor's own dependencies, so a fresh
# machine must download it (into the throwaway repository only); MVN_FLAGS=-o once the copy has it all.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
modules=core,testkit,jakarta-adapter,netty-adapter,spring,bom
[ -f jwt/pom.xml ] && modules="jwt,$modules"
read -r -a flags <<<"${MVN_FLAGS-}"
work=$(mktemp -d "${TMPDIR:-/tmp}/wsauth-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
repo="$work/repository"
mkdir -p "$repo"
if [ -d "$HOME/.m2/repository" ]; then
  # A real copy (no hard links: an install must not be able to write through to the shared files), without any
  # wsauth artifact, so that only what this build installs can be resolved.
  (cd "$HOME/.m2/repository" && tar --exclude=./io/github/wsauth -cf - .) | (cd "$repo" && tar -xf -)
fi
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)

echo "consumer: installing $modules $version into $repo"
mvn -B -q "${flags[@]}" -Dmaven.repo.local="$repo" install -DskipTests -pl "$modules" -am

for project in testkit/src/it/junit6; do
  echo "consumer: $project"
  cp -r "$project" "$work/project"
  rc=0
  mvn -B "${flags[@]}" -Dmaven.repo.local="$repo" -Dwsauth.version="$version" -f "$work/project/pom.xml" test \
    >"$work/project.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    cat "$work/project.log" >&2
    echo "consumer: $project failed" >&2
    exit 1
  fi
  grep -E '^\[(INFO|WARNING)\] Tests run:|BUILD' "$work/project.log" | tail -3
  rm -rf "$work/project"
done
echo "consumer: OK ($(($(date +%s) - start)) s)"
