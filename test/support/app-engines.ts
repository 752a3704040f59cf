/**
 * Runs an API test suite once per store engine (issue 10: "the API tests run against both engines"): the
 * whole app from startTestApp, on SQLite in its data dir, or on a fresh database of the file's throwaway
 * PostgreSQL server (test/support/postgres.ts). The PostgreSQL half skips without a server, and fails
 * instead under MP_REQUIRE_ALL=1, as store-engines.ts's does.
 *
 * @example
 * describeEachAppEngine('conversations', (engine) => {
 *   let t: TestApp;
 *   beforeAll(async () => { t = await engine.startApp(); });
 *   afterAll(async () => { await t.close(); });
 *   it('lists', async () => { … t.api('GET', '/api/conversations') … });
 * });
 */
import { describe } from 'vitest';
import type { EngineKind } from '../../src/store/store-database.ts';
import { usePostgres } from './postgres.ts';
import { ENGINE_KINDS, postgresTestsReady } from './store-engines.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.ts';

export interface AppEngine {
  readonly kind: EngineKind;
  /** startTestApp on this engine (a new empty database each call); the caller closes it. */
  startApp(options?: Omit<TestAppOptions, 'database'>): Promise<TestApp>;
}

export function describeEachAppEngine(name: string, body: (engine: AppEngine) => void): void {
  for (const kind of ENGINE_KINDS) {
    const skip = kind === 'postgres' && !postgresTestsReady();
    describe.skipIf(skip)(`${name} [${kind}]`, () => {
      body(kind === 'sqlite' ? { kind, startApp: startTestApp } : postgresApps());
    });
  }
}

function postgresApps(): AppEngine {
  // biome-ignore lint/correctness/useHookAtTopLevel: a vitest lifecycle helper, not a React hook; it runs once per describe.
  const server = usePostgres();
  return {
    kind: 'postgres',
    startApp: async (options = {}) => startTestApp({ ...options, database: await server().createDatabase() }),
  };
}
