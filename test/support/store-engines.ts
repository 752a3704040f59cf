/**
 * Runs a store test suite once per engine (issue 10: the whole store suite on SQLite and PostgreSQL). The
 * SQLite run uses a real file in a temp dir; the PostgreSQL run a fresh database per test on the file's
 * throwaway server (test/support/postgres.ts), and skips (or fails under MP_REQUIRE_ALL=1) without one.
 *
 * @example
 * describeEachEngine('messages', (engine) => {
 *   it('appends', async () => {
 *     const store = await engine.openStore();
 *     …
 *   });
 * });
 */
import { afterEach, describe, it } from 'vitest';
import type { PostgresLocation } from '../../src/store/engines/database-url.ts';
import { Store, type StoreOptions } from '../../src/store/store.ts';
import type { EngineKind } from '../../src/store/store-database.ts';
import { requirement } from './environment.ts';
import { POSTGRES_REQUIREMENT, postgresAvailability, usePostgres } from './postgres.ts';
import { makeTempDir } from './temp-dir.ts';

export const ENGINE_KINDS: readonly EngineKind[] = ['sqlite', 'postgres'];

export interface TestEngine {
  readonly kind: EngineKind;
  /**
   * A new store on an empty database of this engine, closed after the test. Calling it again with the
   * `reopen` of an earlier store opens that same database anew (a restart).
   */
  openStore(options?: StoreOptions & { reopen?: Store }): Promise<Store>;
}

let postgresReady: boolean | undefined;

/** Whether the PostgreSQL half may run here (asked once per file; throws under MP_REQUIRE_ALL=1 without it). */
export function postgresTestsReady(): boolean {
  postgresReady ??= requirement(POSTGRES_REQUIREMENT, postgresAvailability().available);
  return postgresReady;
}

export function describeEachEngine(name: string, body: (engine: TestEngine) => void): void {
  for (const kind of ENGINE_KINDS) {
    const skip = kind === 'postgres' && !postgresTestsReady();
    describe.skipIf(skip)(`${name} [${kind}]`, () => {
      body(kind === 'sqlite' ? sqliteEngine() : postgresEngine());
    });
  }
}

function sqliteEngine(): TestEngine {
  const opened: { store: Store; remove?: () => void }[] = [];
  const paths = new WeakMap<Store, string>();
  afterEach(async () => {
    for (const entry of opened.splice(0).reverse()) {
      await entry.store.close().catch(() => {});
      entry.remove?.();
    }
  });
  return {
    kind: 'sqlite',
    async openStore(options = {}) {
      const { reopen, ...storeOptions } = options;
      const earlier = reopen === undefined ? undefined : paths.get(reopen);
      if (reopen !== undefined && earlier === undefined) throw new Error('reopen: not a store of this test');
      const dir = earlier === undefined ? makeTempDir('mp-store-') : undefined;
      const path = earlier ?? `${dir!.path}/modelprogrammer.db`;
      const store = await Store.open(path, storeOptions);
      paths.set(store, path);
      opened.push(dir === undefined ? { store } : { store, remove: dir.remove });
      return store;
    },
  };
}

function postgresEngine(): TestEngine {
  // biome-ignore lint/correctness/useHookAtTopLevel: a vitest lifecycle helper, not a React hook; it runs once per describe.
  const server = usePostgres();
  const opened: Store[] = [];
  const locations = new WeakMap<Store, PostgresLocation>();
  afterEach(async () => {
    for (const store of opened.splice(0).reverse()) await store.close().catch(() => {});
  });
  return {
    kind: 'postgres',
    async openStore(options = {}) {
      const { reopen, ...storeOptions } = options;
      const location = reopen === undefined ? await server().createDatabase() : locations.get(reopen);
      if (location === undefined) throw new Error('reopen: not a store of this test');
      const store = await Store.open(location, storeOptions);
      locations.set(store, location);
      opened.push(store);
      return store;
    },
  };
}

/**
 * `it` for a test that only means something on one engine (a pragma, two processes): registered there only,
 * so the other engine's run shows no skipped test (CI reads a skip as a gap).
 */
export function itOn(
  engine: TestEngine,
  kind: EngineKind,
): typeof it | ((...args: Parameters<typeof it>) => void) {
  return engine.kind === kind ? it : () => {};
}
