#!/usr/bin/env python3
"""Turns the JMH JSON (and memory.json) that benchmarks/run.sh writes into a Markdown table and an SVG chart.

Usage: python3 benchmarks/report.py RESULTS_DIR [--svg FILE] [--markdown FILE]

Pure standard library (no plotting package): the SVG is written by hand. Every figure is put next to its
baseline from the same run, with the ratio and the target it is held to. Single-shot benchmarks
(Mode.SingleShotTime with a batch size) report the time of a whole batch; they are divided by the batch size
here, so every time below is per operation. Throughput is normalised to operations per second.
"""
import json
import math
import os
import sys
from html import escape

TO_NS = {"ns/op": 1.0, "us/op": 1e3, "\u00b5s/op": 1e3, "ms/op": 1e6, "s/op": 1e9}
PKG = "io.github.wsauth.benchmarks."


def load(results):
    rows = []
    for name in sorted(os.listdir(results)):
        if name.endswith(".json") and name != "memory.json":
            with open(os.path.join(results, name), encoding="utf-8") as f:
                try:
                    rows.extend(json.load(f))
                except json.JSONDecodeError:
                    print(f"report: {name} is not JMH JSON, skipped", file=sys.stderr)
    memory = None
    path = os.path.join(results, "memory.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            memory = json.load(f)
    return rows, memory


class Result:
    """One JMH result, normalised: time per operation in ns (with error), or throughput in ops/s."""

    def __init__(self, r):
        self.cls, self.method = r["benchmark"].replace(PKG, "").rsplit(".", 1)
        self.params = r.get("params", {})
        self.threads = r.get("threads", 1)
        pm = r["primaryMetric"]
        unit = pm["scoreUnit"]
        err = pm.get("scoreError")
        err = 0.0 if err in (None, "NaN") or (isinstance(err, float) and math.isnan(err)) else err
        self.batch = r.get("measurementBatchSize", 1) if r["mode"] == "ss" else 1
        if unit in TO_NS:
            self.ns = pm["score"] * TO_NS[unit] / self.batch
            self.ns_err = err * TO_NS[unit] / self.batch
            self.ops = None
        else:  # throughput: normalised to ops/s
            per = {"ops/s": 1.0, "ops/ms": 1e3, "ops/us": 1e6, "ops/\u00b5s": 1e6, "ops/ns": 1e9}[unit]
            self.ops = pm["score"] * per
            self.ops_err = err * per
            self.ns = None
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        self.alloc = alloc["score"] if alloc else None
        # perfnorm's task-clock: milliseconds of CPU (all threads of the fork) per operation.
        cpu = r.get("secondaryMetrics", {}).get("task-clock")
        self.cpu_ms = cpu["score"] if cpu and isinstance(cpu.get("score"), (int, float)) else None


def find(results, cls, method, **params):
    for r in results:
        if r.cls == cls and r.method == method and all(r.params.get(k) == v for k, v in params.items()):
            return r
    return None


def class_name(jvm_name):
    """'[Ljava.util.concurrent.ConcurrentHashMap$Node;' -> 'ConcurrentHashMap$Node[]'."""
    if jvm_name.startswith("[L"):
        return jvm_name[2:-1].rsplit(".", 1)[-1] + "[]"
    return jvm_name.rsplit(".", 1)[-1]


def fmt_ns(ns, err=None):
    if ns is None:
        return "n/a"
    if ns >= 1e6:
        s, e, u = ns / 1e6, (err or 0) / 1e6, "ms"
    elif ns >= 1e3:
        s, e, u = ns / 1e3, (err or 0) / 1e3, "\u00b5s"
    else:
        s, e, u = ns, err or 0, "ns"
    digits = 0 if s >= 100 else 1 if s >= 10 else 2
    return f"{s:.{digits}f} \u00b1 {e:.{digits}f} {u}" if err else f"{s:.{digits}f} {u}"


def fmt_ops(ops, err=None):
    return f"{ops:,.0f} \u00b1 {err:,.0f}/s" if err else f"{ops:,.0f}/s"


def verdict(ok):
    return "met" if ok else "**missed**"


def build(results, memory):
    md = []
    panels = []

    # 1. Opaque tokens.
    verify = find(results, "OpaqueTokenBenchmark", "verify")
    if verify:
        sha = find(results, "OpaqueTokenBenchmark", "baselineSha256")
        remove = find(results, "OpaqueTokenBenchmark", "baselineMapRemove")
        both = find(results, "OpaqueTokenBenchmark", "baselineHashAndRemove")
        clk = find(results, "OpaqueTokenBenchmark", "baselineHashRemoveAndClock")
        th = find(results, "OpaqueTokenBenchmark", "tokenHash")
        issue = find(results, "OpaqueTokenBenchmark", "issue")
        rnd = find(results, "OpaqueTokenBenchmark", "baselineRandomToken")
        md.append("### 1. Opaque tokens, in-memory store (one thread, per operation)\n")
        md.append("| operation | wsauth | baseline | baseline time | ratio | target |")
        md.append("|---|---|---|---|---|---|")
        per_s = 1e9 / verify.ns
        if both:
            ratio = verify.ns / both.ns
            md.append(f"| verify (single-use consume) | {fmt_ns(verify.ns, verify.ns_err)} | SHA-256 + `ConcurrentHashMap.remove` "
                      f"| {fmt_ns(both.ns, both.ns_err)} | {ratio:.2f}x | \u2264 2x: {verdict(ratio <= 2)} |")
        if sha and remove:
            s = sha.ns + remove.ns
            md.append(f"| verify, against the two baselines added | | SHA-256 ({fmt_ns(sha.ns)}) + remove "
                      f"({fmt_ns(remove.ns)}) | {fmt_ns(s)} | {verify.ns / s:.2f}x | \u2264 2x: {verdict(verify.ns / s <= 2)} |")
        if clk:
            md.append(f"| verify, against hash + remove + one clock read | | the least a verifier of expiring tokens "
                      f"does | {fmt_ns(clk.ns, clk.ns_err)} | {verify.ns / clk.ns:.2f}x | (decomposition) |")
        md.append(f"| verifications per second, one thread | {per_s:,.0f}/s | | | | \u2265 1,000,000/s: "
                  f"{verdict(per_s >= 1e6)} |")
        if th and sha:
            md.append(f"| `TokenHash.of` (part of verify) | {fmt_ns(th.ns, th.ns_err)} | bare SHA-256 | "
                      f"{fmt_ns(sha.ns, sha.ns_err)} | {th.ns / sha.ns:.2f}x | |")
        if issue and rnd:
            md.append(f"| issue | {fmt_ns(issue.ns, issue.ns_err)} | `SecureRandom` 32 bytes + base64url | "
                      f"{fmt_ns(rnd.ns, rnd.ns_err)} | {issue.ns / rnd.ns:.2f}x | (none) |")
        md.append("")
        rows = [("verify", verify.ns, "ours"), ("SHA-256 + remove", both.ns if both else None, "base"),
                ("SHA + remove + clock", clk.ns if clk else None, "base"),
                ("SHA-256", sha.ns if sha else None, "base"), ("map remove", remove.ns if remove else None, "base"),
                ("TokenHash.of", th.ns if th else None, "ours"),
                ("issue", issue.ns if issue else None, "ours"),
                ("SecureRandom+b64", rnd.ns if rnd else None, "base")]
        panels.append(("Opaque tokens: ns per operation (lower is better)", "ns", [r for r in rows if r[1]]))

    # 2. JWT.
    jwt_rows = []
    lines = []
    for alg in ("HS256", "ES256", "EdDSA"):
        ours = find(results, "JwtVerifyBenchmark", "wsauth", alg=alg)
        base = find(results, "JwtVerifyBenchmark", "baselineNimbus", alg=alg)
        if ours and base:
            over = (ours.ns / base.ns - 1) * 100
            lines.append(f"| {alg}, reusable | {fmt_ns(ours.ns, ours.ns_err)} | {fmt_ns(base.ns, base.ns_err)} | "
                         f"{over:+.1f}% | \u2264 +10%: {verdict(over <= 10)} |")
            jwt_rows += [(f"{alg} wsauth", ours.ns / 1e3, "ours"), (f"{alg} Nimbus", base.ns / 1e3, "base")]
    ours = find(results, "JwtSingleUseBenchmark", "wsauthSingleUse")
    base = find(results, "JwtSingleUseBenchmark", "baselineNimbus")
    if ours and base:
        over = (ours.ns / base.ns - 1) * 100
        lines.append(f"| HS256, single-use (jti recorded) | {fmt_ns(ours.ns, ours.ns_err)} | "
                     f"{fmt_ns(base.ns, base.ns_err)} | {over:+.1f}% | (informational) |")
        jwt_rows += [("HS256 1-use wsauth", ours.ns / 1e3, "ours"), ("HS256 1-use Nimbus", base.ns / 1e3, "base")]
    if lines:
        md.append("### 2. JWT verification (one thread, per token)\n")
        md.append("| algorithm | wsauth | bare Nimbus `DefaultJWTProcessor` | overhead | target |")
        md.append("|---|---|---|---|---|")
        md.extend(lines)
        md.append("")
        panels.append(("JWT verification: \u00b5s per token (lower is better)", "\u00b5s", jwt_rows))

    # 2b. JWT verification against the other Java JWT libraries (group jwt-peers).
    peer_lines = []
    for alg in ("HS256", "ES256", "EdDSA"):
        ours = find(results, "JwtPeersBenchmark", "wsauth", alg=alg)
        if not ours:
            continue
        hit = find(results, "JwtPeersBenchmark", "wsauthCacheHit", alg=alg)
        floor = find(results, "JwtPeersBenchmark", "jdkFloor", alg=alg)
        peers = [("auth0 java-jwt 4.6.2", find(results, "JavaJwtBenchmark", "javaJwt", alg=alg)),
                 ("jjwt 0.13.0", find(results, "JwtPeersBenchmark", "jjwt", alg=alg)),
                 ("jose4j 0.9.6", find(results, "JwtPeersBenchmark", "jose4j", alg=alg)),
                 ("bare Nimbus 10.10", find(results, "JwtPeersBenchmark", "nimbus", alg=alg))]
        peers = [(n, r) for n, r in peers if r]
        fastest_alloc = min((r.alloc for _, r in peers if r.alloc is not None), default=None)

        def alloc(r):
            return f"{r.alloc:,.0f} B" if r and r.alloc is not None else "n/a"

        target = ""
        if alg == "HS256":
            jj = find(results, "JavaJwtBenchmark", "javaJwt", alg=alg)
            if jj:
                ratio = ours.ns / jj.ns
                target = f"{ratio:.2f}x java-jwt (≤ 1.0x: {verdict(ratio <= 1.0)})"
        elif floor:
            ratio = ours.ns / floor.ns
            target = f"{(ratio - 1) * 100:+.1f}% vs JDK (≤ +5%: {verdict(ratio <= 1.05)})"
        if fastest_alloc is not None and ours.alloc is not None:
            target += f"; bytes ≤ fastest peer's: {verdict(ours.alloc <= fastest_alloc)}"
        peer_lines.append(f"| {alg} | **wsauth** | {fmt_ns(ours.ns, ours.ns_err)} | {alloc(ours)} | {target} |")
        if hit:
            peer_lines.append(f"| {alg} | wsauth, verified-token cache hit | {fmt_ns(hit.ns, hit.ns_err)} | "
                              f"{alloc(hit)} | ≤ 0.5 µs: {verdict(hit.ns <= 500)} |")
        for n, r in peers:
            peer_lines.append(f"| {alg} | {n} | {fmt_ns(r.ns, r.ns_err)} | {alloc(r)} | {ours.ns / r.ns:.2f}x |")
        if floor:
            peer_lines.append(f"| {alg} | floor: JDK {'Mac' if alg == 'HS256' else 'Signature'} of the same bytes | "
                              f"{fmt_ns(floor.ns, floor.ns_err)} | {alloc(floor)} | {ours.ns / floor.ns:.2f}x |")
        rows = [("wsauth", ours.ns / 1e3, "ours")]
        if hit:
            rows.append(("wsauth cache hit", hit.ns / 1e3, "ours"))
        rows += [(n, r.ns / 1e3, "base") for n, r in peers]
        if floor:
            rows.append(("JDK floor", floor.ns / 1e3, "base"))
        panels.append((f"JWT {alg} verification vs other libraries: µs per token (lower is better)",
                       "µs", rows))
    if peer_lines:
        md.append("### 2b. JWT verification against the other Java JWT libraries (one thread, per token)\n")
        md.append("| algorithm | library | time | allocated | wsauth vs this / target |")
        md.append("|---|---|---|---|---|")
        md.extend(peer_lines)
        md.append("")

    # 3. Extractors.
    ext = [r for r in results if r.cls == "ExtractorBenchmark"]
    if ext:
        md.append("### 3. Credential extractors (one thread, per extraction)\n")
        md.append("| extractor | time | allocated | target (< 1 \u00b5s, < 1 KB) |")
        md.append("|---|---|---|---|")
        order = ["bearer", "basic", "queryParameter", "cookie", "subprotocol", "firstOfOnQuery", "buildRequest"]
        rows = []
        for m in order:
            r = find(ext, "ExtractorBenchmark", m)
            if not r:
                continue
            alloc = f"{r.alloc:,.0f} B" if r.alloc is not None else "n/a (run without -prof gc)"
            if m == "buildRequest":
                target = "context, not an extractor"
            else:
                ok = r.ns < 1000 and (r.alloc is None or r.alloc < 1024)
                target = verdict(ok)
            md.append(f"| `{m}` | {fmt_ns(r.ns, r.ns_err)} | {alloc} | {target} |")
            rows.append((m, r.ns, "base" if m == "buildRequest" else "ours"))
        md.append("")
        panels.append(("Extractors: ns per extraction (buildRequest: context)", "ns", rows))

    # 4. Concurrency.
    conc = [r for r in results if r.cls == "ConcurrentConsumeBenchmark"]
    if conc:
        md.append("### 4. Concurrent single-use consume, in-memory store (aggregate over all threads)\n")
        md.append("| threads | wsauth `consume` | vs 1 thread | bare `ConcurrentHashMap.remove` | vs 1 thread |")
        md.append("|---|---|---|---|---|")
        rows = []
        one = {}
        for t in (1, 2, 4, 8):
            cells = []
            for m, kind in (("consume", "ours"), ("baselineMapRemove", "base")):
                r = find(conc, "ConcurrentConsumeBenchmark", f"{m}_{t}")
                if not r:
                    cells += ["n/a", ""]
                    continue
                agg = r.ops  # JMH sums the threads' throughput over one synchronised window
                one.setdefault(m, agg if t == 1 else None)
                base1 = one.get(m)
                cells += [f"{agg / 1e6:.2f} M/s", f"{agg / base1:.2f}x" if base1 else ""]
                rows.append((f"{'consume' if kind == 'ours' else 'CHM.remove'} x{t}", agg / 1e6, kind))
            md.append(f"| {t} | " + " | ".join(cells) + " |")
        md.append("")
        panels.append(("Concurrent consume: million ops/s, all threads (higher is better)", "M/s", rows))

    # 5. Handshakes.
    hs_lines = []
    hs_rows = []
    with_cpu = False
    with_alloc = all(r.alloc for r in results if r.cls.endswith("HandshakeBenchmark")
                     and r.method in ("wsauth", "baseline"))
    for cls, server in (("NettyHandshakeBenchmark", "Netty 4.2"), ("TomcatHandshakeBenchmark", "Tomcat 11")):
        for cred in ("query", "bearer"):
            ours = find(results, cls, "wsauth", credential=cred)
            base = find(results, cls, "baseline", credential=cred)
            if ours and base:
                ratio = ours.ops / base.ops
                cpu = ""
                if ours.cpu_ms and base.cpu_ms:
                    with_cpu = True
                    cpu = (f" {ours.cpu_ms * 1000:.1f} / {base.cpu_ms * 1000:.1f} \u00b5s | "
                           f"{base.cpu_ms / ours.cpu_ms:.2f} |")
                if with_alloc:
                    cpu += f" {ours.alloc / 1000:.1f} / {base.alloc / 1000:.1f} KB (+{(ours.alloc - base.alloc) / 1000:.1f}) |"
                hs_lines.append(f"| {server} | {cred} | {fmt_ops(ours.ops, ours.ops_err)} | "
                                f"{fmt_ops(base.ops, base.ops_err)} | {ratio:.2f} | \u2265 0.9: {verdict(ratio >= 0.9)} |"
                                + cpu)
                hs_rows += [(f"{server.split()[0]} {cred} wsauth", ours.ops, "ours"),
                            (f"{server.split()[0]} {cred} plain", base.ops, "base")]
    if hs_lines:
        conc_param = next((r.params.get("concurrency") for r in results if r.cls.endswith("HandshakeBenchmark")), "?")
        md.append(f"### 5. WebSocket handshakes per second ({conc_param} concurrent clients, connect + upgrade + close)\n")
        head = "| server | credential | with wsauth | without | ratio | target |"
        if with_cpu:
            head += " CPU per handshake, with / without | CPU ratio |"
        if with_alloc:
            head += " allocated per handshake, with / without |"
        md.append(head)
        md.append("|---" * (head.count("|") - 1) + "|")
        md.extend(hs_lines)
        if with_cpu:
            md.append("\nCPU per handshake: `perf` task-clock of the whole fork (server, client, JMH) divided by the "
                      "handshakes (`-prof perfnorm`); the CPU ratio is handshakes per CPU-second with wsauth over without.")
        if with_alloc:
            md.append("\nAllocated per handshake: `-prof gc`, every thread of the fork (server, client, token issuing "
                      "in the untimed setup), so only the difference is wsauth's.")
        md.append("")
        panels.append(("Handshakes per second (higher is better)", "/s", hs_rows))

    # 6. Memory.
    if memory:
        md.append(f"### 6. Memory per outstanding token, in-memory store, {memory['tokens']:,} tokens\n")
        md.append("| variant | bytes per token (median of runs) | runs | target |")
        md.append("|---|---|---|---|")
        rows = []
        for v in memory["variants"]:
            name = {"sameSubject": "one subject for all tokens (store overhead)",
                    "distinctSubjects": "a distinct subject per token (`user-123456`)"}.get(v["name"], v["name"])
            md.append(f"| {name} | {v['bytesPerToken']:.1f} B | {', '.join(f'{x:.1f}' for x in v['runs'])} | "
                      f"\u2264 200 B: {verdict(v['bytesPerToken'] <= 200)} |")
            rows.append((v["name"], v["bytesPerToken"], "ours"))
        jol = memory.get("jol")
        if jol:
            parts = ", ".join(f"`{class_name(c['class'])}` {c['bytesPerToken']:.1f} B" for c in jol["classes"])
            md.append(f"\nJOL cross-check ({jol['tokens']:,} tokens, one subject): {jol['bytesPerToken']:.1f} B per "
                      f"token: {parts}.")
            rows.append(("JOL walk", jol["bytesPerToken"], "base"))
        md.append("")
        panels.append(("Memory: bytes per outstanding token (lower is better)", "B", rows))

    # 7. JDBC.
    ours = find(results, "JdbcConsumeBenchmark", "wsauthConsume")
    deleting = find(results, "JdbcConsumeBenchmark", "wsauthConsumeDeleting")
    base = find(results, "JdbcConsumeBenchmark", "baselineDeleteReturning")
    upd = find(results, "JdbcConsumeBenchmark", "baselineUpdateReturning")
    if ours and base:
        md.append("### 7. JDBC store consume on PostgreSQL (one thread, per consume)\n")
        md.append(f"Baseline: a hand-written `DELETE ... RETURNING`, {fmt_ns(base.ns, base.ns_err)}.\n")
        md.append("| `JdbcTokenStore.consume` | what it writes | time | vs baseline | target (\u2264 +10%) |")
        md.append("|---|---|---|---|---|")
        rows = []
        if deleting:
            over_d = (deleting.ns / base.ns - 1) * 100
            md.append(f"| `keepUsedTokens(false)` | deletes the row, as the baseline does | "
                      f"{fmt_ns(deleting.ns, deleting.ns_err)} | {over_d:+.1f}% | {verdict(over_d <= 10)} |")
            rows.append(("consume, deleting", deleting.ns / 1e3, "ours"))
        over = (ours.ns / base.ns - 1) * 100
        md.append(f"| default (`keepUsedTokens(true)`) | a new row version marked `used` (replays are "
                  f"`ALREADY_USED`) | {fmt_ns(ours.ns, ours.ns_err)} | {over:+.1f}% | "
                  f"{'met' if over <= 10 else 'more work than the baseline'} |")
        rows.append(("consume, default", ours.ns / 1e3, "ours"))
        rows.append(("DELETE RETURNING", base.ns / 1e3, "base"))
        if upd:
            over_u = (ours.ns / upd.ns - 1) * 100
            md.append(f"| (decomposition) the default's `UPDATE ... RETURNING`, by hand | | "
                      f"{fmt_ns(upd.ns, upd.ns_err)} | default store vs this: {over_u:+.1f}% | |")
            rows.append(("UPDATE RETURNING", upd.ns / 1e3, "base"))
        md.append("")
        panels.append(("JDBC consume on PostgreSQL: \u00b5s per consume (lower is better)", "\u00b5s", rows))
    elif not any(r.cls == "JdbcConsumeBenchmark" for r in results):
        md.append("### 7. JDBC store consume on PostgreSQL\n\nNot in these results (no PostgreSQL configured, or the group was not run).\n")
    return "\n".join(md), panels


def svg(panels):
    width, label_w, value_w, bar_h, gap, pad = 960, 210, 150, 18, 6, 16
    bar_w = width - label_w - value_w - 2 * pad
    parts = []
    y = pad
    for title, unit, rows in panels:
        parts.append(f'<text x="{pad}" y="{y + 14}" class="t">{escape(title)}</text>')
        y += 26
        top = max((v for _, v, _ in rows), default=1) or 1
        for label, value, kind in rows:
            w = max(1.0, bar_w * value / top)
            colour = "#2f6fb3" if kind == "ours" else "#9aa3ad"
            parts.append(f'<text x="{pad + label_w - 8}" y="{y + 13}" class="l">{escape(label)}</text>')
            parts.append(f'<rect x="{pad + label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>')
            parts.append(f'<text x="{pad + label_w + w + 6:.1f}" y="{y + 13}" class="v">{value:,.{0 if value >= 100 else 2}f} '
                         f'{escape(unit)}</text>')
            y += bar_h + gap
        y += 14
    legend_y = y
    parts.append(f'<rect x="{pad}" y="{legend_y}" width="12" height="12" fill="#2f6fb3"/>'
                 f'<text x="{pad + 18}" y="{legend_y + 11}" class="v">wsauth</text>'
                 f'<rect x="{pad + 90}" y="{legend_y}" width="12" height="12" fill="#9aa3ad"/>'
                 f'<text x="{pad + 108}" y="{legend_y + 11}" class="v">baseline / context</text>')
    height = legend_y + 12 + pad
    style = ("<style>text{font-family:DejaVu Sans,Arial,sans-serif;font-size:12px;fill:#222}"
             ".t{font-size:14px;font-weight:bold}.l{text-anchor:end}</style>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{style}<rect width="100%" height="100%" fill="#fff"/>'
            + "".join(parts) + "</svg>\n")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    results_dir = argv[1]
    svg_out = md_out = None
    i = 2
    while i < len(argv):
        if argv[i] == "--svg":
            svg_out = argv[i + 1]
            i += 2
        elif argv[i] == "--markdown":
            md_out = argv[i + 1]
            i += 2
        else:
            print(f"unknown argument {argv[i]}", file=sys.stderr)
            return 2
    raw, memory = load(results_dir)
    results = [Result(r) for r in raw]
    if not results and not memory:
        print(f"report: no results in {results_dir}", file=sys.stderr)
        return 1
    md, panels = build(results, memory)
    print(md)
    if md_out:
        with open(md_out, "w", encoding="utf-8") as f:
            f.write(md + "\n")
    if svg_out:
        with open(svg_out, "w", encoding="utf-8") as f:
            f.write(svg(panels))
        print(f"wrote {svg_out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
