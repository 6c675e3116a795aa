#!/usr/bin/env bash
# Checks that bom/pom.xml (wsauth-bom) manages exactly the published modules of the aggregator, at its version.
# A published module is one listed in the root pom's <modules> whose pom does not set maven.deploy.skip to true
# (examples and benchmarks do), other than the BOM itself. Fails (exit 1) naming each module missing from the BOM,
# each BOM entry with no module, and a version that differs from wsauth-parent's. Needs python3 (installed here if
# missing, as root on Debian). Takes well under a second; no Maven run.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v python3 >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3
fi
exec python3 - "$@" <<'PY'
import os, sys
import xml.etree.ElementTree as ET

NS = {"m": "http://maven.apache.org/POM/4.0.0"}

def pom(path):
    return ET.parse(path).getroot()

def text(el, path):
    found = el.find(path, NS)
    return found.text.strip() if found is not None and found.text else None

root = pom("pom.xml")
version = text(root, "m:version")
published = {}
for module in root.findall("m:modules/m:module", NS):
    name = module.text.strip()
    if name == "bom":
        continue
    p = pom(os.path.join(name, "pom.xml"))
    if (text(p, "m:properties/m:maven.deploy.skip") or "false").lower() == "true":
        continue
    published[text(p, "m:artifactId")] = name

bom = pom("bom/pom.xml")
errors = []
if text(bom, "m:version") != version:
    errors.append(f"wsauth-bom version {text(bom, 'm:version')} differs from wsauth-parent's {version}")
listed = {}
for dep in bom.findall("m:dependencyManagement/m:dependencies/m:dependency", NS):
    listed[text(dep, "m:artifactId")] = (text(dep, "m:groupId"), text(dep, "m:version"))
for artifact, module in sorted(published.items()):
    if artifact not in listed:
        errors.append(f"published module {module}/ ({artifact}) is missing from bom/pom.xml")
for artifact, (group, ver) in sorted(listed.items()):
    if group != "io.github.wsauth":
        errors.append(f"bom/pom.xml manages {group}:{artifact}, not a wsauth artifact")
    if ver != "${project.version}":
        errors.append(f"bom/pom.xml gives {artifact} the version {ver}, not ${{project.version}}")
    if artifact not in published:
        errors.append(f"bom/pom.xml lists {artifact}, which no published module of the aggregator builds")
for e in errors:
    print("check-bom: " + e, file=sys.stderr)
if errors:
    sys.exit(1)
print(f"check-bom: OK, wsauth-bom {version} manages {', '.join(sorted(published))}")
PY
