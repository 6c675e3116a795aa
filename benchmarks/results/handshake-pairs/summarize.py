import json, glob, statistics, re, os
data = {}
for f in glob.glob('benchmarks/results/handshake-pairs/*.json'):
    m = re.match(r'.*/(\w+)-(baseline|wsauth)-(\d+)\.json', f)
    cls, side, rnd = m.group(1), m.group(2), int(m.group(3))
    try:
        rows = json.load(open(f))
    except ValueError:
        continue
    for r in rows:
        cred = r['params']['credential']
        ops = r['primaryMetric']['score']
        cpu = r.get('secondaryMetrics', {}).get('task-clock', {}).get('score')
        data[(cls, cred, rnd, side)] = (ops, cpu)
for cls in ('NettyHandshakeBenchmark', 'TomcatHandshakeBenchmark'):
    for cred in ('query', 'bearer'):
        ratios, cpur, b_ops, w_ops = [], [], [], []
        for rnd in sorted({k[2] for k in data}):
            b = data.get((cls, cred, rnd, 'baseline')); w = data.get((cls, cred, rnd, 'wsauth'))
            if b and w:
                ratios.append(w[0] / b[0]); b_ops.append(b[0]); w_ops.append(w[0])
                if b[1] and w[1]: cpur.append(b[1] / w[1])
        if ratios:
            print(f"{cls[:6]} {cred:6} rounds={len(ratios)} ratio per round {[round(x,3) for x in ratios]} "
                  f"mean {statistics.mean(ratios):.3f}; pooled {statistics.mean(w_ops):.0f}/{statistics.mean(b_ops):.0f}="
                  f"{statistics.mean(w_ops)/statistics.mean(b_ops):.3f}; cpu ratio {[round(x,3) for x in cpur]}")
