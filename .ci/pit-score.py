#!/usr/bin/env python3
"""The mutation gate over all the security-critical classes at once (issue 13, item 12).

PIT gates each module on its own (the `pit` profiles); this adds up every module's target/pit-reports/mutations.xml
and fails when fewer than 95% of all the mutants were detected, PIT's own definition: killed, timed out, memory
error or run error count as detected; survived and no coverage do not. With --each, every module must reach the
threshold on its own as well (the adapters' gate; jwt has 17 equivalent mutants of 197 and is gated by the total).
--total=module,module limits the total to those modules (the others are printed, and gated only by --each or their
own profile's threshold). Usage: .ci/pit-score.py [threshold] [--each=module,module] [--total=module,module]
"""
import glob, sys
import xml.etree.ElementTree as ET

args = [a for a in sys.argv[1:] if not a.startswith("--")]
in_total = {m for a in sys.argv[1:] if a.startswith("--total=") for m in a[len("--total="):].split(",") if m}
each = {m for a in sys.argv[1:] if a.startswith("--each=") for m in a[len("--each="):].split(",") if m}
threshold = float(args[0]) if args else 95.0
DETECTED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}
total = detected = 0
below = []
reports = sorted(glob.glob("*/target/pit-reports/mutations.xml"))
if not reports:
    sys.exit("pit-score: no */target/pit-reports/mutations.xml: run the pit profile first")
for path in reports:
    mutations = ET.parse(path).getroot().findall("mutation")
    n = len(mutations)
    d = sum(1 for m in mutations if m.get("status") in DETECTED)
    module = path.split('/')[0]
    if not in_total or module in in_total:
        total += n
        detected += d
    print(f"pit-score: {module}: {d}/{n} detected ({100.0 * d / n:.1f}%)"
          + ("" if not in_total or module in in_total else " (not in the total)"))
    if path.split('/')[0] in each and 100.0 * d / n < threshold:
        below.append(path.split('/')[0])
if total == 0:
    sys.exit(f"pit-score: no mutations.xml of the modules in the total ({', '.join(sorted(in_total))})")
score = 100.0 * detected / total
print(f"pit-score: {'+'.join(sorted(in_total)) if in_total else 'all'}: {detected}/{total} detected ({score:.1f}%),"
      f" gate {threshold:g}%")
if below:
    print(f"pit-score: below {threshold:g}% on their own: {', '.join(below)}")
if score < threshold or below:
    sys.exit(1)
