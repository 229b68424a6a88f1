#!/usr/bin/env python3
"""Prints the Markdown tables of bench/BENCHMARKS.md's Monitoring section from
bench/results/monitoring-*.json. Usage: report.py [RESULTS_DIR]"""
import json
import os
import sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "results")


def load(part):
    try:
        with open(os.path.join(d, f"monitoring-{part}.json")) as f:
            return json.load(f)
    except OSError:
        return None


def mib(kib):
    return f"{kib / 1024:.1f}" if kib is not None else "–"


NAMES = {"unyo": "unyo", "icinga2": "Icinga 2", "nagios4": "Nagios 4", "blackbox": "blackbox_exporter"}

TITLES = {"compare": "Same workload", "compare-peers": "Same workload, against Icinga 2 and blackbox_exporter",
          "compare-high": "Ten times the rate (unyo and blackbox_exporter)"}
for part in ("compare", "compare-peers", "compare-high"):
    c = load(part)
    if not c or "rows" not in c:
        continue
    print(f"### {TITLES[part]}: "
          f"{c['targets_per_type']:,} targets per type, every {c['interval_s']} s, "
          f"{c['window_s']} s window after {c['warm_up_s']} s warm-up\n")
    print("| type | tool | checks in window (expected) | not ok | CPU s | CPU ms / check | checks / CPU-s | "
          "unyo's ratio | RSS MiB start → end |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for r in c["rows"]:
        if "error" in r:
            print(f"| {r['type']} | {NAMES.get(r['tool'], r['tool'])} | failed: {r['error'][:80]} | | | | | | |")
            continue
        ratio = f"{r['unyo_ratio']}×" if "unyo_ratio" in r else "–"
        rnd = f" (round {r['round']})" if c.get("rounds", 1) > 1 else ""
        print(f"| {r['type']} | {NAMES.get(r['tool'], r['tool'])}{rnd} | {r['checks']:,} ({r['expected_checks']:,}) | "
              f"{r['failed']} | {r['cpu_s']:.2f} | {r['cpu_ms_per_check']:.3f} | {r['checks_per_cpu_s']:,.0f} | "
              f"{ratio} | {mib(r['rss_kib_start'])} → {mib(r['rss_kib_end'])} |")
    print()
    if c.get("rounds", 1) > 1 and c.get("summary"):
        print(f"Medians of the {c['rounds']} rounds (tools taken in turn within each round; a ratio is of one round):\n")
        print("| type | tool | CPU ms / check: median (min–max) | unyo's ratio: median (min–max) |")
        print("|---|---|---:|---:|")
        for e in c["summary"]:
            ratio = (f"{e['unyo_ratio_median']:.1f}× ({e['unyo_ratio_min']:.1f}–{e['unyo_ratio_max']:.1f})"
                     if "unyo_ratio_median" in e else "–")
            print(f"| {e['type']} | {NAMES.get(e['tool'], e['tool'])} | {e['cpu_ms_per_check_median']:.3f} "
                  f"({e['cpu_ms_per_check_min']:.3f}–{e['cpu_ms_per_check_max']:.3f}) | {ratio} |")
        print()
    if c.get("unyo_idle"):
        i = c["unyo_idle"]
        print(f"unyo with no monitors over the same {i['window_s']} s: {i['cpu_s']:.3f} CPU s, "
              f"RSS {mib(i['rss_kib_start'])} → {mib(i['rss_kib_end'])} MiB.\n")

cap = load("capacity")
if cap and "steps" in cap:
    print(f"### Capacity: unyo alone, pinned to CPU {cap['pinned_cpu']}, half TCP half HTTP, "
          f"{cap['window_s']} s window after {cap['warm_up_s']} s\n")
    print("| monitors | offered / s | checks / s | not ok | lateness p99 ≤ | late > 1 s | mean check ms | "
          "CPU of one core | checks / CPU-s | RSS MiB start → end | sustained |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for s in cap["steps"]:
        if "checks_per_s" not in s:
            print(f"| {s['monitors']:,} | {s['offered_per_s']:,.0f} | – | – | – | – | – | "
                  f"{s.get('cpu_share_of_one_core', 0):.0%} | – | {mib(s['rss_kib_start'])} → {mib(s['rss_kib_end'])} | "
                  f"no: {s.get('note', '')} |")
            continue
        lat = s["lateness"]
        p99 = lat["p99_at_most_s"]
        print(f"| {s['monitors']:,} | {s['offered_per_s']:,.0f} | {s['checks_per_s']:,.0f} | {s['failed']:,} | "
              f"{p99} s | {lat['late_over_1s']:,} | {s.get('mean_check_ms', '–')} | {s['cpu_share_of_one_core']:.0%} | "
              f"{s['checks_per_cpu_s']:,.0f} | {mib(s['rss_kib_start'])} → {mib(s['rss_kib_end'])} | "
              f"{'yes' if s['sustained'] else 'no'} |")
    print()

n = load("notify")
if n and "summary" in n:
    print("### Detect-to-notify (simulator's failure instant → webhook received)\n")
    print("| failure | interval × retries | notified | total median (max) s | fail → first failing check, median s | "
          "first failing → hard, median s | hard → webhook, median (max) ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for s in n["summary"]:
        t, a, b, w = (s["fail_to_notify_s"], s["fail_to_first_failing_check_s"], s["first_failing_check_to_hard_s"],
                      s["hard_to_webhook_s"])
        print(f"| {s['group'].split(',')[0]} | {s['interval_s']} s × {s['retries']} | {s['notified']}/{s['samples']} | "
              f"{t['median']:.2f} ({t['max']:.2f}) | {a['median']:.2f} | {b['median']:.2f} | "
              f"{w['median'] * 1000:.0f} ({w['max'] * 1000:.0f}) |")
    print()

p = load("parent")
if p and "children" in p:
    print("### Parent outage\n")
    print(f"- children: {p['children']:,}, interval {p['interval_s']} s, retries {p['retries']}; "
          f"{'all ok before the outage' if p['all_ok_before'] else 'NOT all ok before the outage'}")
    print(f"- notifications during the outage: **{p['notifications_during_outage']}** "
          f"({'; '.join(p['alert_subjects'])}), {p['first_alert_after_s']} s after the targets went down")
    states = ", ".join(f"{n:,} {st}" for st, n in sorted(p["children_states"].items()))
    print(f"- parent {p['parent_state']}; children: {states}; incidents opened: {p['incidents_opened']}")
    print(f"- notifications after recovery: {p['notifications_after_recovery']} ({'; '.join(p['recovery_subjects'])})")
    print()

def expected_error(schedule, interval, retries):
    """The range the total error may fall in. An outage of d seconds holds floor(d / interval) or
    one more failing checks: with at least `retries` of them (sure when d >= retries x interval) it
    is counted from its first failing check to the first good one, within one interval either way;
    with fewer (sure when d < (retries - 1) x interval) it is not counted at all (-d)."""
    lo = hi = 0.0
    for mode, d in schedule:
        if mode != "down":
            continue
        if d >= retries * interval:
            lo, hi = lo - interval, hi + interval
        elif d < (retries - 1) * interval:
            lo, hi = lo - d, hi - d
        else:
            lo, hi = lo - d, hi + interval
    return lo, hi


a = load("availability")
if a and "rows" in a:
    print(f"### Availability against the simulator's log ({a['outages']} outages in {a['window_s']:.0f} s)\n")
    print("| interval × retries | true down s | unyo down s (3 monitors) | error s (all outages) | expected error s |")
    print("|---|---:|---|---|---|")
    for r in a["rows"]:
        lo, hi = expected_error(a["schedule"], r["interval_s"], r["retries"])
        print(f"| {r['interval_s']} s × {r['retries']} | {r['true_down_s']:.1f} | "
              f"{', '.join(f'{x:.1f}' for x in r['measured_down_s'])} | {', '.join(f'{x:+.1f}' for x in r['error_s'])} | "
              f"{lo:+.1f} to {hi:+.1f} |")
    print()

k = load("soak")
if k and k.get("samples"):
    s = k["samples"]
    print(f"### Memory over {k['seconds'] // 60} minutes: {k['monitors']:,} monitors every {k['interval_s']} s\n")
    print("| after s | checks | unyo RSS MiB | database MiB |")
    print("|---:|---:|---:|---:|")
    for x in s[:: max(1, len(s) // 10)] + ([s[-1]] if (len(s) - 1) % max(1, len(s) // 10) else []):
        print(f"| {x['t_s']} | {x['checks']:,} | {mib(x['rss_kib'])} | {x['db_mib']} |")
    print()
