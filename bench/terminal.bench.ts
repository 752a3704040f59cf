/**
 * The whole approval path per backend, as the browser drives it: a proposal of `true` is approved through
 * the API (POST /api/proposals/:id/run) and answered once the command has run in the warm shell, its
 * execution is stored, its output message is written and the events are sent. Compare with the bare
 * shell round trip in sandbox.bench.ts, measured in the same `npm run bench`.
 */
import { join } from 'node:path';
import { detectBackends } from '../src/sandbox/detect-backends.ts';
import { startApp } from '../src/server/start-app.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';
import { type BenchResult, percentiles, round } from './bench-result.ts';

const ROUND_TRIPS = 100;
const TOKEN = 'bench-token-0123456789';

export default async function terminalBench(): Promise<BenchResult[]> {
  const dir = makeTempDir('mp-bench-terminal-');
  const app = await startApp({
    dataDir: join(dir.path, 'data'),
    configDir: join(dir.path, 'config'),
    env: {},
    port: 0,
    portFallbacks: 0,
    token: TOKEN,
    webRoot: '/nonexistent',
    version: 'bench',
  });
  const base = `http://127.0.0.1:${app.port}`;
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) =>
    (await (
      await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
    ).json()) as Record<string, unknown>;
  const results: BenchResult[] = [];
  try {
    for (const backend of await detectBackends()) {
      if (!backend.available) {
        results.push({
          name: `${backend.sandbox}: approve \`true\` → output stored and sent`,
          value: Number.NaN,
          unit: 'ms',
          note: `not measured: ${backend.detail}`,
        });
        continue;
      }
      const conversation = await post('/api/conversations', { title: backend.sandbox });
      const id = conversation.id as string;
      await fetch(`${base}/api/conversations/${id}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ sandbox: backend.sandbox }),
      });
      await post(`/api/conversations/${id}/run`, { command: 'true' });
      const samples: number[] = [];
      for (let index = 0; index < ROUND_TRIPS; index++) {
        const message = await post(`/api/conversations/${id}/messages`, {
          role: 'assistant',
          content: '```bash\ntrue\n```',
        });
        await app.terminal.whenIdle();
        const { proposals } = (await (
          await fetch(`${base}/api/conversations/${id}/proposals`, { headers })
        ).json()) as {
          proposals: { id: string; messageId: string }[];
        };
        const proposal = proposals.find((candidate) => candidate.messageId === message.id)!;
        const started = performance.now();
        const execution = await post(`/api/proposals/${proposal.id}/run`, { send: false });
        samples.push(performance.now() - started);
        if (execution.status !== 'completed')
          throw new Error(`true ended ${String(execution.status)} in ${backend.sandbox}`);
      }
      const { median, p99 } = percentiles(samples);
      results.push(
        {
          name: `${backend.sandbox}: approve \`true\` → output stored and sent, median`,
          value: round(median),
          unit: 'ms',
          note: `${ROUND_TRIPS} approvals over HTTP in a warm shell`,
        },
        {
          name: `${backend.sandbox}: approve \`true\` → output stored and sent, p99`,
          value: round(p99),
          unit: 'ms',
        },
      );
    }
  } finally {
    await app.close();
    dir.remove();
  }
  return results;
}
