/**
 * The PostgreSQL engine's foundation (issue 10): its migrations from an empty database and from every earlier
 * version, its schema beside SQLite's at the same version, the invariants PostgreSQL itself enforces, prefix
 * search, and the errors a person gets for a server that is not there or refuses them.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type PostgresLocation, parsePostgresUrl } from '../../src/store/engines/database-url.ts';
import { openStoreEngine } from '../../src/store/engines/open-engine.ts';
import { openPostgres, type PostgresEngine } from '../../src/store/engines/postgres-engine.ts';
import {
  PostgresCredentialsError,
  PostgresDatabaseMissingError,
  PostgresPermissionError,
  PostgresSchemaTooNewError,
  PostgresUnreachableError,
} from '../../src/store/engines/postgres-errors.ts';
import { POSTGRES_SCHEMA_VERSION } from '../../src/store/engines/postgres-migrations.ts';
import { indexDocumentPostgres, searchPostgres } from '../../src/store/engines/postgres-search.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { requirement } from '../support/environment.ts';
import {
  closedPort,
  connectRaw,
  POSTGRES_REQUIREMENT,
  postgresAvailability,
  usePostgres,
} from '../support/postgres.ts';
import { postgresSchema, sqliteSchema } from '../support/schema-snapshot.ts';

const ready = requirement(POSTGRES_REQUIREMENT, postgresAvailability().available);
const AT = '2026-12-01T10:00:00.000Z';

async function withEngine<T>(
  location: PostgresLocation,
  action: (engine: PostgresEngine) => Promise<T>,
  options: { targetVersion?: number } = {},
): Promise<T> {
  const engine = await openPostgres(location, options);
  try {
    return await action(engine);
  } finally {
    await engine.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a failure');
}

/**
 * A conversation with one message and its first revision, written as the store writes them, and indexed for
 * search when the schema has the index (version 2 on; before it, migration 2 indexes what it finds).
 */
async function seed(
  engine: PostgresEngine,
  id: string,
  content: string,
  options: { index?: boolean } = {},
): Promise<void> {
  await engine.db
    .insertInto('conversations')
    .values({ id: `c-${id}`, title: `title ${id}`, created_at: AT, updated_at: AT })
    .execute();
  await engine.db
    .insertInto('messages')
    .values({
      id: `m-${id}`,
      conversation_id: `c-${id}`,
      role: 'user',
      author: 'human',
      revision_count: 1,
      created_at: AT,
      updated_at: AT,
    })
    .execute();
  await engine.db
    .insertInto('message_revisions')
    .values({ id: `r-${id}`, message_id: `m-${id}`, number: 1, content, editor: 'human', created_at: AT })
    .execute();
  if (options.index ?? true) {
    await indexDocumentPostgres(engine.db, {
      kind: 'conversation',
      refId: `c-${id}`,
      conversationId: `c-${id}`,
      text: `title ${id} `,
    });
    await indexDocumentPostgres(engine.db, {
      kind: 'message',
      refId: `m-${id}`,
      conversationId: `c-${id}`,
      text: content,
    });
  }
}

describe.skipIf(!ready)('PostgreSQL store foundation', () => {
  const server = usePostgres();

  it('migrates an empty database to the current version, and a second open changes nothing', async () => {
    const location = await server().createDatabase();
    const first = await withEngine(location, async (engine) => engine.migration);
    expect(first).toEqual({ from: 0, to: POSTGRES_SCHEMA_VERSION });
    const before = await postgresSchema(location);
    const second = await withEngine(location, async (engine) => engine.migration);
    expect(second).toEqual({ from: POSTGRES_SCHEMA_VERSION, to: POSTGRES_SCHEMA_VERSION });
    expect(await postgresSchema(location)).toEqual(before);
  });

  it('keeps the SQLite schema version for version: same tables, columns, defaults, indexes, triggers', async () => {
    for (let version = 1; version <= POSTGRES_SCHEMA_VERSION; version++) {
      const location = await server().createDatabase();
      await withEngine(location, async () => {}, { targetVersion: version });
      const sqlite = openDatabase(':memory:', { targetVersion: version });
      try {
        expect({ version, ...(await postgresSchema(location, { comparable: true })) }).toEqual({
          version,
          ...sqliteSchema(sqlite),
        });
      } finally {
        sqlite.close();
      }
    }
    // A SQLite migration without its PostgreSQL twin (or the reverse) fails here.
    expect(POSTGRES_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('upgrades a database from every earlier version to the schema an empty one gets, keeping its rows', async () => {
    const fresh = await server().createDatabase();
    await withEngine(fresh, async () => {});
    const expected = await postgresSchema(fresh);
    for (let version = 1; version < POSTGRES_SCHEMA_VERSION; version++) {
      const location = await server().createDatabase();
      await withEngine(
        location,
        (engine) => seed(engine, 'old', 'written before the upgrade', { index: version >= 2 }),
        {
          targetVersion: version,
        },
      );
      const result = await withEngine(location, async (engine) => {
        const found = await searchPostgres(engine.db, 'writ upgr');
        expect(found.messages.map((hit) => hit.id)).toEqual(['m-old']);
        const conversation = await engine.db
          .selectFrom('conversations')
          .selectAll()
          .executeTakeFirstOrThrow();
        expect(conversation).toMatchObject({ id: 'c-old', message_count: 1, created_at: AT });
        return engine.migration;
      });
      expect(result).toEqual({ from: version, to: POSTGRES_SCHEMA_VERSION });
      expect(await postgresSchema(location)).toEqual(expected);
    }
  });

  it('re-indexes the documents of a version-8 database, so a path is found by each of its words (version 9)', async () => {
    const location = await server().createDatabase();
    const document = async (engine: PostgresEngine) =>
      (
        await sql<{ document: string }>`
          SELECT CAST(document AS TEXT) AS document FROM search_documents WHERE ref_id = 'm-path'`.execute(
          engine.db,
        )
      ).rows[0]?.document;
    await withEngine(
      location,
      async (engine) => {
        await seed(engine, 'path', 'edit src/store/search.ts');
        expect(await document(engine)).toBe("'edit':1 'src/store/search.ts':2");
      },
      { targetVersion: 8 },
    );
    await withEngine(location, async (engine) => {
      expect(await document(engine)).toBe("'edit':1 'search':4 'src':2 'store':3 'ts':5");
      expect((await searchPostgres(engine.db, 'search')).messages.map((hit) => hit.snippet)).toEqual([
        'edit src/store/«search».ts',
      ]);
    });
  });

  it('refuses, in PostgreSQL itself, to change or delete a revision and to delete a message or conversation', async () => {
    const location = await server().createDatabase();
    await withEngine(location, (engine) => seed(engine, 'one', 'hello'));
    const client = await connectRaw(location);
    try {
      const refusals: [string, string][] = [
        ["UPDATE message_revisions SET content = 'changed'", 'message revisions are immutable'],
        ['DELETE FROM message_revisions', 'message revisions are immutable'],
        ['TRUNCATE message_revisions', 'message revisions are immutable'],
        ['DELETE FROM messages', 'messages are tombstoned, never deleted'],
        ['TRUNCATE messages CASCADE', 'tombstoned, never deleted'],
        ['DELETE FROM conversations', 'conversations are tombstoned, never deleted'],
      ];
      for (const [statement, reason] of refusals) {
        const error = await failure(client.query(statement));
        expect(error.message, statement).toContain(reason);
        expect((error as { code?: string }).code, statement).toBe('23000');
      }
      const { rows } = await client.query('SELECT content FROM message_revisions');
      expect(rows).toEqual([{ content: 'hello' }]);
      // A tombstone is an update, which is allowed, and the live count follows it (version 3's trigger).
      await client.query(`UPDATE messages SET deleted_at = '${AT}'`);
      const counts = await client.query('SELECT message_count FROM conversations');
      expect(counts.rows).toEqual([{ message_count: 0 }]);
    } finally {
      await client.end();
    }
  });

  it('refuses a database a newer version migrated, with the typed error, and writes nothing', async () => {
    const location = await server().createDatabase();
    await withEngine(location, async () => {});
    const newer = POSTGRES_SCHEMA_VERSION + 1;
    const client = await connectRaw(location);
    try {
      await client.query(
        `INSERT INTO mp_schema_migrations (version, description, applied_at) VALUES (${newer}, 'from the future', '${AT}')`,
      );
      const error = await failure(openPostgres(location));
      expect(error).toBeInstanceOf(PostgresSchemaTooNewError);
      expect(error.message).toBe(
        `database "${location.database}" on 127.0.0.1:${location.port} has schema version ${newer}, but this ` +
          `ModelProgrammer understands up to ${POSTGRES_SCHEMA_VERSION}; upgrade ModelProgrammer on every server ` +
          'that shares this database, or point --database at another database',
      );
      const { rows } = await client.query('SELECT max(version) AS version FROM mp_schema_migrations');
      expect(rows).toEqual([{ version: newer }]);
    } finally {
      await client.end();
    }
  });

  it('finds words by prefix, leaves tombstoned messages and conversations out, and takes any text as words', async () => {
    const location = await server().createDatabase();
    await withEngine(location, async (engine) => {
      await seed(engine, 'live', 'hello world, from the terminal');
      await seed(engine, 'gone', 'hello again');
      await seed(engine, 'hidden', 'hello from a deleted conversation');
      await engine.db.updateTable('messages').set({ deleted_at: AT }).where('id', '=', 'm-gone').execute();
      await engine.db
        .updateTable('conversations')
        .set({ deleted_at: AT })
        .where('id', '=', 'c-hidden')
        .execute();

      const found = await searchPostgres(engine.db, 'hel');
      expect(found.messages).toEqual([
        {
          id: 'm-live',
          conversationId: 'c-live',
          conversationTitle: 'title live',
          role: 'user',
          author: 'human',
          snippet: expect.stringContaining('«hello»') as unknown as string,
        },
      ]);
      expect((await searchPostgres(engine.db, 'HEL wor')).messages.map((hit) => hit.id)).toEqual(['m-live']);
      expect((await searchPostgres(engine.db, 'hel xyz')).messages).toEqual([]);
      expect((await searchPostgres(engine.db, 'tit')).conversations.map((hit) => hit.id).sort()).toEqual([
        'c-gone',
        'c-live',
      ]);
      // Diacritics and case are folded on both sides, as FTS5's unicode61 tokenizer does on SQLite.
      await seed(engine, 'accents', 'Crème brûlée at the CAFÉ');
      for (const typed of ['cafe', 'CAFÉ', 'creme brul', 'brûl']) {
        expect(
          (await searchPostgres(engine.db, typed)).messages.map((hit) => hit.id),
          typed,
        ).toEqual(['m-accents']);
      }
      for (const text of ['hel & | ! :* \' " ( ) <-> \\', '!!!', '', "o'clock"]) {
        await expect(searchPostgres(engine.db, text), text).resolves.toBeDefined();
      }
      expect((await searchPostgres(engine.db, '(hel) & !wor')).messages.map((hit) => hit.id)).toEqual([
        'm-live',
      ]);
    });
  });

  it("indexes a text past a tsvector's 1 MB from its start, instead of failing the write that carries it", async () => {
    const location = await server().createDatabase();
    await withEngine(location, async (engine) => {
      // 700,000 characters of distinct words: about 1.1 MB as a tsvector, which PostgreSQL refuses to build.
      const words = Array.from({ length: 140_000 }, (_, index) => `w${index.toString(36)}`);
      await seed(engine, 'huge', `firstword ${words.join(' ')} lastword`);
      expect((await searchPostgres(engine.db, 'firstw')).messages.map((hit) => hit.id)).toEqual(['m-huge']);
      expect((await searchPostgres(engine.db, 'lastword')).messages).toEqual([]);
    });
  });

  it('is what openStoreEngine gives for a postgres:// choice, whatever the data dir', async () => {
    const location = await server().createDatabase();
    const engine = await openStoreEngine(location, { dataDir: '/nonexistent/never-created' });
    try {
      expect(engine.kind).toBe('postgres');
      await engine.db.insertInto('import_keys').values({ source: 's', key: 'k', target_id: 't' }).execute();
      expect(await engine.db.selectFrom('import_keys').selectAll().execute()).toEqual([
        { source: 's', key: 'k', target_id: 't' },
      ]);
    } finally {
      await engine.close();
    }
  });

  it('says nothing answers when no server listens at the address', async () => {
    const port = await closedPort();
    const error = await failure(openPostgres(parsePostgresUrl(`postgres://mp:secret@127.0.0.1:${port}/mp`)));
    expect(error).toBeInstanceOf(PostgresUnreachableError);
    expect(error.message).toMatch(
      new RegExp(`^nothing answers at 127\\.0\\.0\\.1:${port}; is PostgreSQL running\\? Start it`),
    );
  });

  it('says the credentials were refused, without the password, and names a missing database', async () => {
    const admin = server().admin;
    const wrong = { ...admin, password: 'not-the-password-4711' };
    const refused = await failure(openPostgres(wrong));
    expect(refused).toBeInstanceOf(PostgresCredentialsError);
    expect(refused.message).toContain(`PostgreSQL at 127.0.0.1:${admin.port} refused user "${admin.user}"`);
    expect(refused.message).not.toContain('not-the-password-4711');

    const missing = await failure(openPostgres({ ...admin, database: 'no_such_database' }));
    expect(missing).toBeInstanceOf(PostgresDatabaseMissingError);
    expect(missing.message).toContain(`there is no database "no_such_database" on 127.0.0.1:${admin.port}`);
  });

  it('says a user who may connect but not create tables needs to own the database', async () => {
    const location = await server().createDatabase();
    const role = `mp_reader_${location.database.slice(-6)}`;
    const admin = await connectRaw(server().admin);
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'reader-password'`);
      const error = await failure(openPostgres({ ...location, user: role, password: 'reader-password' }));
      expect(error).toBeInstanceOf(PostgresPermissionError);
      expect(error.message).toContain(
        `user "${role}" may not create the store's tables in database "${location.database}" on ` +
          `127.0.0.1:${location.port}; ` +
          `make it the owner (ALTER DATABASE "${location.database}" OWNER TO "${role}";)`,
      );
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${location.database} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  });

  it('reads counts and BIGINT columns as numbers and writes timestamps and JSON back byte for byte', async () => {
    const location = await server().createDatabase();
    await withEngine(location, async (engine) => {
      await seed(engine, 'x', 'text');
      const request = '{"z":1,  "a":[1,2]}';
      await engine.db
        .insertInto('model_calls')
        .values({
          id: 'call',
          conversation_id: 'c-x',
          provider: 'p',
          model: 'm',
          request,
          duration_ms: 2 ** 40,
          created_at: AT,
        })
        .execute();
      const call = await engine.db.selectFrom('model_calls').selectAll().executeTakeFirstOrThrow();
      expect(call).toMatchObject({ request, duration_ms: 2 ** 40, created_at: AT });
      const { count } = await engine.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      expect(count).toBe(1);
      const version = await sql<{ n: number }>`SELECT count(*) AS n FROM mp_schema_migrations`.execute(
        engine.db,
      );
      expect(version.rows).toEqual([{ n: POSTGRES_SCHEMA_VERSION }]);
    });
  });
});
