#!/usr/bin/env bash
# The docs' Maven snippets paste: copies every ```xml block holding a <dependency> from README.md and docs/*.md into
# a throwaway consumer pom and resolves it against artifacts freshly installed from this checkout.
#
# Everything goes to a throwaway local repository (seeded from ~/.m2/repository so it works offline); the shared
# ~/.m2 is never written. Usage: .ci/docs-consumer.sh [extra mvn args, e.g. -o]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/wsauth-docs-consumer.XXXXXX)"
trap 'rm -rf "$work"' EXIT
repo="$work/m2"

echo "docs-consumer: seeding $repo from ~/.m2/repository"
mkdir -p "$repo"
if [ -d "$HOME/.m2/repository" ]; then
  cp -r "$HOME/.m2/repository/." "$repo/"
fi
# Drop this project's own artifacts from the seed: only the fresh install may satisfy them.
rm -rf "$repo/io/github/wsauth"

echo "docs-consumer: installing this checkout (tests skipped) into the throwaway repository"
mvn -B -q "$@" -f "$root/pom.xml" -Dmaven.repo.local="$repo" -DskipTests \
  -pl '!examples,!examples/docs-quarkus,!benchmarks' install

mkdir -p "$work/consumer"
python3 - "$root" "$work/consumer/pom.xml" <<'PY'
import glob, os, re, sys
import xml.etree.ElementTree as ET

root, out = sys.argv[1], sys.argv[2]
files = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
deps, managed, seen = [], [], set()
for path in files:
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^( *)```\s*xml\s*$", lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while not lines[j].strip() == "```":
            j += 1
        block = "\n".join(lines[i + 1:j])
        where = "%s:%d" % (os.path.relpath(path, root), i + 1)
        i = j + 1
        if "<dependency>" not in block:
            continue
        snippet = ET.fromstring("<snippet>" + block + "</snippet>")
        in_management = set(id(d) for dm in snippet.iter("dependencyManagement") for d in dm.iter("dependency"))
        for d in snippet.iter("dependency"):
            key = tuple((d.findtext(t) or "").strip() for t in ("groupId", "artifactId", "version", "type", "scope"))
            if key in seen:
                continue
            seen.add(key)
            (managed if id(d) in in_management else deps).append(ET.tostring(d, encoding="unicode").strip())
            print("docs-consumer: %s -> %s" % (where, ":".join(k for k in key if k)))
body = "\n".join("    " + d for d in deps)
mgmt = "\n".join("      " + d for d in managed)
open(out, "w", encoding="utf-8").write("""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example.consumer</groupId>
  <artifactId>docs-consumer</artifactId>
  <version>1</version>
  <packaging>jar</packaging>
  <dependencyManagement>
    <dependencies>
%s
    </dependencies>
  </dependencyManagement>
  <dependencies>
%s
  </dependencies>
</project>
""" % (mgmt, body))
PY

echo "docs-consumer: resolving the consumer pom"
if ! mvn -B "$@" -f "$work/consumer/pom.xml" -Dmaven.repo.local="$repo" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:resolve -DincludeScope=test >"$work/resolve.log" 2>&1; then
  cat "$work/consumer/pom.xml" "$work/resolve.log"
  echo "docs-consumer: FAILED, a documented dependency does not resolve" >&2
  exit 1
fi
grep -E ':(jar|pom):' "$work/resolve.log" || true
echo "docs-consumer: OK, every documented dependency resolves against the fresh install"
