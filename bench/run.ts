/**
 * Runs every bench/*.bench.ts (each default-exports `async () => BenchResult[]`) and writes the results, with the
 * machine and date, to bench/RESULTS.md. `npm run bench -- store` runs only files whose name contains "store".
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './bench-result.ts';

const benchDir = import.meta.dirname;
const filter = process.argv[2];
const files = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts') && (filter === undefined || file.includes(filter)))
  .sort();

const sections: string[] = [];
for (const file of files) {
  console.error(`bench: ${file}`);
  const started = performance.now();
  const module = (await import(join(benchDir, file))) as { default: () => Promise<BenchResult[]> };
  const results = await module.default();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const rows = results.map(
    (result) => `| ${result.name} | ${result.value} | ${result.unit} | ${result.note ?? ''} |`,
  );
  sections.push(
    [
      `## ${file.replace('.bench.ts', '')} (${seconds} s)`,
      '',
      '| measure | value | unit | note |',
      '| --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
  );
  for (const result of results) console.error(`  ${result.name}: ${result.value} ${result.unit}`);
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const report = [
  '# Benchmark results',
  '',
  `Recorded by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
  'Numbers from one run; compare rows measured in the same run (each file measures its own baseline).',
  '',
  ...sections.flatMap((section) => [section, '']),
].join('\n');
if (filter === undefined) writeFileSync(join(benchDir, 'RESULTS.md'), report);
else console.log(report);
