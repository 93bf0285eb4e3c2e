/**
 * The full fuzz run: `npm run fuzz` (tsx test/fuzz/run.ts). Every case (well over 10,000 requests),
 * the 51 MiB uploads included. Options: --sample N (a stratified sample), --seed N.
 * Exit code 1 when any check failed.
 */
import { createFuzzApp } from './app.js';
import { buildCases, formatReport, runFuzz } from './runner.js';
import { seedFuzzShop } from './shop.js';

const arg = (name: string): number | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : undefined;
};

const t = await createFuzzApp();
try {
  const shop = await seedFuzzShop(t);
  const sampleSize = arg('sample');
  const { forms, cases } = await buildCases(t, shop, { heavy: sampleSize === undefined, sample: sampleSize, seed: arg('seed') });
  console.log(`fuzz: ${cases.length} cases over ${t.routes.length} routes and ${forms.length} forms`);
  let last = Date.now();
  const report = await runFuzz(t, shop, cases, forms.length, {
    onProgress: (r) => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      console.log(`  … ${r.sent}/${cases.length} sent, ${r.failures.length} failures`);
    },
  });
  console.log(formatReport(report));
  const errors = t.logs().filter((l) => Number(l.level) >= 50);
  for (const e of errors.slice(0, 10)) console.log('  error log:', JSON.stringify(e).slice(0, 600));
  process.exitCode = report.failures.length > 0 ? 1 : 0;
} finally {
  await t.close();
}
