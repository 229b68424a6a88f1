// Measures list, filter and full-text search latency through the HTTP API of a running unyo
// (make bench). Usage: node --import tsx records_http.mts BASE_URL LOGIN PASSWORD LABEL
import { performance } from 'node:perf_hooks';

const [base, login, password, label] = process.argv.slice(2);
if (!base || !login || !password || !label) {
    console.error('usage: records_http.mts BASE_URL LOGIN PASSWORD LABEL');
    process.exit(2);
}
const session = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }),
});
if (session.status !== 200) throw new Error(`sign-in failed: ${session.status}`);
const cookie = (session.headers.getSetCookie()[0] ?? '').split(';')[0]!;

const cases: [string, string][] = [
    ['list: first page of incidents', '/api/v1/incidents'],
    ['filter: open high incidents', '/api/v1/incidents?status=received,isolating,responding&severity=high'],
    ['filter: changes in one month', '/api/v1/changes?from=2026-03-01&to=2026-04-01'],
    ['full text: 証明書が発行できない', `/api/v1/incidents?q=${encodeURIComponent('証明書が発行できない')}`],
    ['full text: 選挙システム 出張所', `/api/v1/inquiries?q=${encodeURIComponent('選挙システムで画面が固まる (出張所')}`],
    ['full text: rare (key number)', `/api/v1/requests?q=${encodeURIComponent('-987654)')}`],
];
const runs = Number(process.env['BENCH_RUNS'] ?? 200);
const results: Record<string, unknown>[] = [];
for (const [name, path] of cases) {
    const times: number[] = [];
    for (let i = 0; i < runs + 10; i++) {
        const t0 = performance.now();
        const res = await fetch(`${base}${path}`, { headers: { Cookie: cookie } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        if (i >= 10) times.push(performance.now() - t0);  // the first ten warm the caches
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    results.push({ backend: label, case: name, runs, p50_ms: +p(0.5).toFixed(2), p99_ms: +p(0.99).toFixed(2) });
    console.log(`${label}\t${name}\tp50 ${p(0.5).toFixed(2)} ms\tp99 ${p(0.99).toFixed(2)} ms`);
}
console.log(JSON.stringify(results));
