/**
 * docs/api.md's table of who may call each route is the routes' own declarations (issue 10 item 3), through
 * the OpenAPI document the server serves. A route added, or a permission changed, without the table fails
 * here; `MP_WRITE_DOCS=1 npx vitest run test/docs-route-access.test.ts` rewrites the table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { routeAccessTable } from '../src/server/route-access-table.ts';
import { REPO_ROOT } from './support/environment.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

const START = '<!-- route-access:start (generated from the routes: see test/docs-route-access.test.ts) -->';
const END = '<!-- route-access:end -->';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

it('lists every route with the least role that may call it, as the routes declare', async () => {
  const document = (await (await t.api('GET', '/api/openapi.json')).json()) as Parameters<
    typeof routeAccessTable
  >[0];
  const table = routeAccessTable(document);
  expect(table).toContain("| `POST /api/proposals/:id/run` | member (`run`) | the proposal's conversation |");
  const path = join(REPO_ROOT, 'docs', 'api.md');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  expect(start, `docs/api.md has no ${START}`).toBeGreaterThan(-1);
  const current = text.slice(start + START.length, end).trim();
  if (process.env.MP_WRITE_DOCS === '1' && current !== table) {
    writeFileSync(path, `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`);
    return;
  }
  expect(current).toBe(table);
});
