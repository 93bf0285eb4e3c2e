/**
 * `npm run soak`: the mixed workload of bench/soak-workload.ts against the shop for SOAK_SECONDS
 * (default 120) on the demo shop; every ~10 s (SOAK_INTERVAL_S) one line: the shop process's RSS,
 * heap used (and after a forced GC), req/s, p99 and errors. At the end: totals and the heap trend
 * of the second half. SOAK_BROWSERS / SOAK_SHOPPERS set the number of virtual users (8 / 8).
 */
import { runSoak, type SoakSample } from './soak-run.js';

const seconds = Number(process.env.SOAK_SECONDS ?? 120);
const intervalMs = Number(process.env.SOAK_INTERVAL_S ?? 10) * 1000;
const shape = { browsers: Number(process.env.SOAK_BROWSERS ?? 8), shoppers: Number(process.env.SOAK_SHOPPERS ?? 8) };

const pad = (v: string | number, n: number) => String(v).padStart(n);
function line(s: SoakSample): string {
  return `${pad(s.t, 5)} s  rss ${pad(s.rssMb, 6)} MB  heap ${pad(s.heapMb, 6)} MB  (after gc ${pad(s.heapAfterGcMb, 6)} MB)  ${pad(s.rps, 5)} req/s  p99 ${pad(s.p99, 5)} ms  errors ${pad(s.errors, 3)}  orders ${pad(s.orders, 4)}  admin edits ${pad(s.adminEdits, 3)}`;
}

async function main(): Promise<void> {
  console.log(`soak: ${seconds} s, ${shape.browsers} browsers + ${shape.shoppers} shoppers + 1 admin; seeding the demo shop…`);
  const result = await runSoak({ seconds, intervalMs, shape, data: 'demo', onSample: (s) => console.log(line(s)) });
  const second = result.samples.slice(Math.floor(result.samples.length / 2));
  const first = second[0];
  const lastSample = second[second.length - 1];
  const p99s = result.samples.map((s) => s.p99).sort((a, b) => a - b);
  console.log(
    `\ntotal: ${result.totals.requests} requests, ${result.totals.errors} errors, ${result.totals.orders} orders, ${result.totals.adminEdits} admin edits;` +
      ` p99 per window ${p99s[0] ?? 0}–${p99s[p99s.length - 1] ?? 0} ms`,
  );
  if (first && lastSample) {
    console.log(`heap after gc, second half: ${first.heapAfterGcMb} → ${lastSample.heapAfterGcMb} MB (${(lastSample.heapAfterGcMb - first.heapAfterGcMb).toFixed(1)} MB); rss ${first.rssMb} → ${lastSample.rssMb} MB`);
  }
  if (Object.keys(result.errorKinds).length > 0) console.log('errors by kind:', result.errorKinds);
  process.exitCode = result.totals.errors > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
