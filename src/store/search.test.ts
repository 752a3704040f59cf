import { sql } from 'kysely';
import { afterEach, expect, it, vi } from 'vitest';
import { describeEachEngine, itOn } from '../../test/support/store-engines.ts';
import { postgresSearch } from './engines/postgres-search.ts';
import { sqliteSearch } from './engines/sqlite-search.ts';
import type { Store } from './store.ts';

/**
 * Messages reach the search index through a queue, in batches after the append (issue 7 item 9); these
 * pin that a search still sees every message as it is now, and that nothing queued is lost, on both
 * engines (issue 10).
 */

afterEach(() => {
  vi.useRealTimers();
});

/** Only the timers the queue uses: the PostgreSQL driver's own sockets and ticks keep running. */
const fakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

async function count(store: Store, table: 'search_documents' | 'search_queue'): Promise<number> {
  const result = await sql<{
    n: number;
  }>`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${sql.table(table)}`.execute(store.database.db);
  return Number(result.rows[0]!.n);
}
/** Documents in the index itself, read without `search()` (which would drain the queue first). */
const indexed = (store: Store) => count(store, 'search_documents');
const queued = (store: Store) => count(store, 'search_queue');
const hits = async (store: Store, query: string) =>
  (await store.search.search(query)).messages.map((message) => message.id);

function append(store: Store, conversationId: string, content: string) {
  return store.transaction(() =>
    store.messages.append(conversationId, { role: 'user', author: 'human', content }),
  );
}

describeEachEngine('search over queued messages', (engine) => {
  it('writes no index rows in the append, one queue row instead', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'queue' });
    const before = await indexed(store);
    await append(store, conversation.id, 'octahedron');
    expect(await indexed(store)).toBe(before);
    expect(await queued(store)).toBe(1);
  });

  it('finds a message searched right after it was appended', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'fresh' });
    const message = await append(store, conversation.id, 'a dodecahedron has twelve faces');
    expect(await hits(store, 'dodecahedr')).toEqual([message.id]);
    expect(await queued(store)).toBe(0);
  });

  it('finds an edited message by its new text and not by its old', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'edits' });
    const message = await append(store, conversation.id, 'tetrahedron');
    expect(await hits(store, 'tetrahedron')).toEqual([message.id]);
    await store.transaction(() => store.messages.revise(message.id, 'icosahedron', 'human'));
    expect(await hits(store, 'tetrahedron')).toEqual([]);
    expect(await hits(store, 'icosahedron')).toEqual([message.id]);
    // Edited again while the first edit still waits in the queue: the index takes the current revision.
    await store.transaction(() => store.messages.revise(message.id, 'cuboctahedron', 'human'));
    await store.transaction(() => store.messages.revise(message.id, 'rhombicuboctahedron', 'human'));
    expect(await queued(store)).toBe(1);
    expect(await hits(store, 'icosahedron')).toEqual([]);
    expect(await hits(store, 'cuboctahedron')).toEqual([]);
    expect(await hits(store, 'rhombicuboctahedron')).toEqual([message.id]);
  });

  it('leaves out a tombstoned message, queued or indexed, and finds it again once restored', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'tombstones' });
    const indexedFirst = await append(store, conversation.id, 'pentagon one');
    expect(await hits(store, 'pentagon')).toEqual([indexedFirst.id]);
    const stillQueued = await append(store, conversation.id, 'pentagon two');
    await store.transaction(() => store.messages.delete([indexedFirst.id, stillQueued.id]));
    expect(await hits(store, 'pentagon')).toEqual([]);
    await store.transaction(() => store.messages.restore([stillQueued.id]));
    expect(await hits(store, 'pentagon')).toEqual([stillQueued.id]);
  });

  it('indexes a streamed answer when it ends, not while it is a draft', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'drafts' });
    const answer = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      status: 'streaming',
    });
    await store.messages.updateDraft(answer.id, { content: 'heptagon so far' });
    expect(await hits(store, 'heptagon')).toEqual([]);
    await store.messages.finishDraft(answer.id, { content: 'heptagon in full', status: 'complete' });
    expect(await hits(store, 'heptagon')).toEqual([answer.id]);
  });

  it('finds the copies a fork makes, in the fork', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'source' });
    const source = await append(store, conversation.id, 'nonagon');
    const fork = await store.fork(conversation.id, source.id);
    const found = (await store.search.search('nonagon')).messages;
    expect(found.map((hit) => hit.conversationId).sort()).toEqual([conversation.id, fork.id].sort());
  });

  it('finds conversations by every word of their title and description, and leaves out a tombstoned one with its messages', async () => {
    const store = await engine.openStore();
    const kept = await store.conversations.create({ title: 'Rhombus notes', description: 'quadrilateral' });
    const renamed = await store.conversations.create({ title: 'Rhombus draft' });
    const gone = await store.conversations.create({ title: 'Rhombus bin' });
    await append(store, gone.id, 'rhomboid in a deleted conversation');
    await store.conversations.delete(gone.id);
    await store.conversations.update(renamed.id, { title: 'Trapezoid draft' });

    const found = await store.search.search('rhomb');
    expect(found.conversations.map((hit) => hit.id)).toEqual([kept.id]);
    expect(found.messages).toEqual([]);
    expect((await store.search.search('RHOMB quadri')).conversations).toEqual([
      {
        id: kept.id,
        title: 'Rhombus notes',
        description: 'quadrilateral',
        updatedAt: kept.updatedAt,
        messageCount: 0,
        ownerAccountId: null,
        visibility: 'team',
      },
    ]);
    expect((await store.search.search('rhomb trapez')).conversations).toEqual([]);
    expect((await store.search.search('trapez')).conversations.map((hit) => hit.id)).toEqual([renamed.id]);

    await store.conversations.restore(gone.id);
    expect((await store.search.search('rhomboid')).messages.map((hit) => hit.conversationId)).toEqual([
      gone.id,
    ]);
  });

  it('answers in one shape on both engines: whole matched words in «…», case and diacritics folded, typed syntax taken as words', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'Café' });
    const message = await append(store, conversation.id, 'Crème brûlée at the CAFÉ');
    expect((await store.search.search('creme brul')).messages).toEqual([
      {
        id: message.id,
        conversationId: conversation.id,
        conversationTitle: 'Café',
        role: 'user',
        author: 'human',
        snippet: '«Crème» «brûlée» at the CAFÉ',
      },
    ]);
    expect((await store.search.search('cafe')).conversations.map((hit) => hit.id)).toEqual([conversation.id]);
    for (const typed of ['"cafe', 'cafe*', 'cafe OR xyz', 'NEAR(cafe)', 'cafe & !creme', '-cafe', 'c:afe']) {
      await expect(store.search.search(typed), typed).resolves.toBeDefined();
    }
    expect(await hits(store, '(brul) & !creme "cafe"')).toEqual([message.id]);
    expect(await hits(store, 'brul OR xyz')).toEqual([]);
    expect(await store.search.search(' !!! ')).toEqual({ conversations: [], messages: [] });
  });

  it('keeps a queued message across a close, and the next open indexes it without a search', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'crash' });
    const message = await append(store, conversation.id, 'hendecagon');
    const before = await indexed(store);
    // Closed before the batch ran (as a crash would leave it): the message waits in the queue, unindexed.
    await store.close();

    fakeTimers();
    const reopened = await engine.openStore({ reopen: store, searchIndexDelayMs: 50 });
    expect(await queued(reopened)).toBe(1);
    expect(await indexed(reopened)).toBe(before);
    vi.advanceTimersByTime(50);
    await reopened.search.idle();
    expect(await queued(reopened)).toBe(0);
    expect(await indexed(reopened)).toBe(before + 1);
    expect(await hits(reopened, 'hendecagon')).toEqual([message.id]);
  });

  it('indexes queued messages in the background after the delay', async () => {
    fakeTimers();
    const store = await engine.openStore({ searchIndexDelayMs: 200 });
    const conversation = await store.conversations.create({ title: 'timer' });
    await append(store, conversation.id, 'one');
    await append(store, conversation.id, 'two');
    vi.advanceTimersByTime(199);
    await store.search.idle();
    expect(await queued(store)).toBe(2);
    vi.advanceTimersByTime(1);
    await store.search.idle();
    expect(await queued(store)).toBe(0);
  });

  it('takes a queue longer than one batch in turns in the background, and all of it before a search', async () => {
    fakeTimers();
    const store = await engine.openStore({ searchIndexDelayMs: 200 });
    const conversation = await store.conversations.create({ title: 'import' });
    await queueMany(store, conversation.id, 1203);
    expect(await queued(store)).toBe(1203);

    await store.search.queueMessage('m-0000'); // a batch is due after the delay, as after an append
    vi.advanceTimersByTime(200);
    await store.search.idle();
    expect(await queued(store)).toBe(703);
    vi.advanceTimersByTime(0); // a full batch asks for the next one at once
    await store.search.idle();
    expect(await queued(store)).toBe(203);

    expect((await store.search.search('polygon', 2000)).messages).toHaveLength(1203);
    expect(await queued(store)).toBe(0);
  });

  it('drains, on migration to the queue, nothing that was already indexed', async () => {
    // Version 4 had the index and no queue: what it held was indexed in the append.
    const older = await engine.openStore({ targetVersion: 4 });
    const at = new Date().toISOString();
    await sql`INSERT INTO conversations (id, title, created_at, updated_at)
      VALUES ('c1', 'Older', ${at}, ${at})`.execute(older.database.db);
    await sql`INSERT INTO messages (id, conversation_id, role, author, revision_count, created_at, updated_at)
      VALUES ('m1', 'c1', 'user', 'human', 1, ${at}, ${at})`.execute(older.database.db);
    await sql`INSERT INTO message_revisions (id, message_id, number, content, editor, created_at)
      VALUES ('r1', 'm1', 1, 'decagon', 'human', ${at})`.execute(older.database.db);
    const searchEngine = engine.kind === 'postgres' ? postgresSearch : sqliteSearch;
    await searchEngine.index(older.database.db, [
      { kind: 'message', refId: 'm1', conversationId: 'c1', text: 'decagon' },
    ]);
    await older.close();

    const migrated = await engine.openStore({ reopen: older });
    expect(await queued(migrated)).toBe(0);
    expect(await hits(migrated, 'decagon')).toEqual(['m1']);
    const later = await migrated.messages.append('c1', {
      role: 'user',
      author: 'human',
      content: 'decagons',
    });
    expect((await hits(migrated, 'decagon')).sort()).toEqual(['m1', later.id].sort());
  });

  itOn(engine, 'postgres')(
    'keeps an edit another server process commits while a batch runs, instead of indexing the old text',
    async () => {
      // Two stores on one database are two processes; long delays keep their own timers out of the way.
      const writer = await engine.openStore({ searchIndexDelayMs: 60_000 });
      const indexer = await engine.openStore({ reopen: writer, searchIndexDelayMs: 60_000 });
      const conversation = await writer.conversations.create({ title: 'processes' });
      const message = await append(writer, conversation.id, 'pyramid');
      expect(await queued(indexer)).toBe(1);

      const edited = deferred();
      const release = deferred();
      const editing = writer.transaction(async () => {
        await writer.messages.revise(message.id, 'prism', 'human');
        edited.resolve();
        await release.promise;
      });
      await edited.promise;
      try {
        // The edit holds its queue row: the batch leaves it (and does not wait) rather than index 'pyramid'
        // and drop the row the edit relies on.
        expect(await indexer.search.flush()).toBe(0);
      } finally {
        release.resolve();
        await editing;
      }

      expect(await hits(indexer, 'prism')).toEqual([message.id]);
      expect(await hits(indexer, 'pyramid')).toEqual([]);
    },
  );
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Messages with revisions and queue rows written in bulk, as an import leaves them. */
async function queueMany(store: Store, conversationId: string, n: number): Promise<void> {
  const at = new Date().toISOString();
  const ids = Array.from({ length: n }, (_, index) => `m-${index.toString().padStart(4, '0')}`);
  await store.transaction(async () => {
    for (let start = 0; start < n; start += 500) {
      const chunk = ids.slice(start, start + 500);
      await store.database.db
        .insertInto('messages')
        .values(
          chunk.map((id) => ({
            id,
            conversation_id: conversationId,
            parent_id: null,
            role: 'user' as const,
            author: 'human',
            revision_count: 1,
            source_message_id: null,
            tool_call_id: null,
            model_call_id: null,
            draft_content: null,
            created_at: at,
            updated_at: at,
            deleted_at: null,
          })),
        )
        .execute();
      await store.database.db
        .insertInto('message_revisions')
        .values(
          chunk.map((id) => ({
            id: `r-${id}`,
            message_id: id,
            number: 1,
            content: `polygon ${id}`,
            editor: 'human',
            created_at: at,
          })),
        )
        .execute();
      await store.database.db
        .insertInto('search_queue')
        .values(chunk.map((id) => ({ message_id: id })))
        .execute();
    }
  });
}
