#!/usr/bin/env python3
"""The mutation gate over all the security-critical classes at once (issue 13, item 12).

PIT gates each module on its own (the `pit` profiles); this adds up every module's target/pit-reports/mutations.xml
and fails when fewer than 95% of all the mutants were detected, PIT's own definition: killed, timed out, memory
error or run error count as detected; survived and no coverage do not. Usage: .ci/pit-score.py [threshold]
"""
import glob, sys
import xml.etree.ElementTree as ET

threshold = float(sys.argv[1]) if len(sys.argv) > 1 else 95.0
DETECTED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}
total = detected = 0
reports = sorted(glob.glob("*/target/pit-reports/mutations.xml"))
if not reports:
    sys.exit("pit-score: no */target/pit-reports/mutations.xml: run the pit profile first")
for path in reports:
    mutations = ET.parse(path).getroot().findall("mutation")
    n = len(mutations)
    d = sum(1 for m in mutations if m.get("status") in DETECTED)
    total += n
    detected += d
    print(f"pit-score: {path.split('/')[0]}: {d}/{n} detected ({100.0 * d / n:.1f}%)")
score = 100.0 * detected / total
print(f"pit-score: all: {detected}/{total} detected ({score:.1f}%), gate {threshold:g}%")
if score < threshold:
    sys.exit(1)
