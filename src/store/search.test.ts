import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { olderDatabase } from '../../test/support/older-database.ts';
import { makeTempDir } from '../../test/support/temp-dir.ts';
import { openSqlite } from './sqlite.ts';
import { Store } from './store.ts';

/**
 * Messages reach the search index through a queue, in batches after the append (issue 7 item 9); these
 * pin that a search still sees every message as it is now, and that nothing queued is lost.
 */
let dir: ReturnType<typeof makeTempDir>;
let path: string;
let store: Store;

beforeEach(() => {
  dir = makeTempDir('mp-search-');
  path = join(dir.path, 'data', 'mp.db');
  store = Store.open(path);
});
afterEach(() => {
  vi.useRealTimers();
  store.close();
  dir.remove();
});

const count = (db: Store['db'], sql: string) => (db.prepare(sql).get() as { n: number }).n;
/** Rows in the FTS index itself, read without `search()` (which would drain the queue first). */
const indexed = (db: Store['db']) => count(db, 'SELECT COUNT(*) AS n FROM search_index');
const queued = (db: Store['db']) => count(db, 'SELECT COUNT(*) AS n FROM search_queue');
const hits = (query: string) => store.search.search(query).messages.map((message) => message.id);

function append(conversationId: string, content: string) {
  return store.transaction(() =>
    store.messages.append(conversationId, { role: 'user', author: 'human', content }),
  );
}

describe('search over queued messages', () => {
  it('writes no index rows in the append, one queue row instead', () => {
    const conversation = store.conversations.create({ title: 'queue' });
    const before = indexed(store.db);
    append(conversation.id, 'octahedron');
    expect(indexed(store.db)).toBe(before);
    expect(queued(store.db)).toBe(1);
  });

  it('finds a message searched right after it was appended', () => {
    const conversation = store.conversations.create({ title: 'fresh' });
    const message = append(conversation.id, 'a dodecahedron has twelve faces');
    expect(hits('dodecahedr')).toEqual([message.id]);
    expect(queued(store.db)).toBe(0);
  });

  it('finds an edited message by its new text and not by its old', () => {
    const conversation = store.conversations.create({ title: 'edits' });
    const message = append(conversation.id, 'tetrahedron');
    expect(hits('tetrahedron')).toEqual([message.id]);
    store.transaction(() => store.messages.revise(message.id, 'icosahedron', 'human'));
    expect(hits('tetrahedron')).toEqual([]);
    expect(hits('icosahedron')).toEqual([message.id]);
    // Edited again while the first edit still waits in the queue: the index takes the current revision.
    store.transaction(() => store.messages.revise(message.id, 'cuboctahedron', 'human'));
    store.transaction(() => store.messages.revise(message.id, 'rhombicuboctahedron', 'human'));
    expect(hits('icosahedron')).toEqual([]);
    expect(hits('cuboctahedron')).toEqual([]);
    expect(hits('rhombicuboctahedron')).toEqual([message.id]);
  });

  it('leaves out a tombstoned message, queued or indexed, and finds it again once restored', () => {
    const conversation = store.conversations.create({ title: 'tombstones' });
    const indexedFirst = append(conversation.id, 'pentagon one');
    expect(hits('pentagon')).toEqual([indexedFirst.id]);
    const stillQueued = append(conversation.id, 'pentagon two');
    store.transaction(() => store.messages.delete([indexedFirst.id, stillQueued.id]));
    expect(hits('pentagon')).toEqual([]);
    store.transaction(() => store.messages.restore([stillQueued.id]));
    expect(hits('pentagon')).toEqual([stillQueued.id]);
  });

  it('indexes a streamed answer when it ends, not while it is a draft', () => {
    const conversation = store.conversations.create({ title: 'drafts' });
    const answer = store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      status: 'streaming',
    });
    store.messages.updateDraft(answer.id, { content: 'heptagon so far' });
    expect(hits('heptagon')).toEqual([]);
    store.messages.finishDraft(answer.id, { content: 'heptagon in full', status: 'complete' });
    expect(hits('heptagon')).toEqual([answer.id]);
  });

  it('finds the copies a fork makes, in the fork', () => {
    const conversation = store.conversations.create({ title: 'source' });
    const source = append(conversation.id, 'nonagon');
    const fork = store.fork(conversation.id, source.id);
    const found = store.search.search('nonagon').messages;
    expect(found.map((hit) => hit.conversationId).sort()).toEqual([conversation.id, fork.id].sort());
  });

  it('keeps a queued message across a close, and the next open indexes it without a search', () => {
    const conversation = store.conversations.create({ title: 'crash' });
    const message = append(conversation.id, 'hendecagon');
    const before = indexed(store.db);
    store.close();

    // Closed before the batch ran (as a crash would leave it): the message waits in the queue, unindexed.
    const raw = openSqlite(path);
    expect(queued(raw as Store['db'])).toBe(1);
    expect(indexed(raw as Store['db'])).toBe(before);
    raw.close();

    vi.useFakeTimers();
    store = Store.open(path, { searchIndexDelayMs: 50 });
    expect(queued(store.db)).toBe(1);
    vi.advanceTimersByTime(50);
    expect(queued(store.db)).toBe(0);
    expect(indexed(store.db)).toBe(before + 1);
    expect(hits('hendecagon')).toEqual([message.id]);
  });

  it('indexes queued messages in the background after the delay', () => {
    vi.useFakeTimers();
    store.close();
    store = Store.open(path, { searchIndexDelayMs: 200 });
    const conversation = store.conversations.create({ title: 'timer' });
    append(conversation.id, 'one');
    append(conversation.id, 'two');
    vi.advanceTimersByTime(199);
    expect(queued(store.db)).toBe(2);
    vi.advanceTimersByTime(1);
    expect(queued(store.db)).toBe(0);
  });

  it('drains, on migration to the queue, nothing that was already indexed', () => {
    const olderPath = join(dir.path, 'v4.db');
    const older = olderDatabase(olderPath, 4, { title: 'Older', message: 'decagon' });
    older
      .prepare("INSERT INTO search_documents (kind, ref_id, conversation_id) VALUES ('message', 'm1', 'c1')")
      .run();
    older
      .prepare(
        "INSERT INTO search_index (rowid, text) SELECT id, 'decagon' FROM search_documents WHERE ref_id = 'm1'",
      )
      .run();
    older.close();

    const migrated = Store.open(olderPath);
    try {
      expect(queued(migrated.db)).toBe(0);
      expect(migrated.search.search('decagon').messages.map((hit) => hit.id)).toEqual(['m1']);
      const later = migrated.messages.append('c1', { role: 'user', author: 'human', content: 'decagons' });
      expect(
        migrated.search
          .search('decagon')
          .messages.map((hit) => hit.id)
          .sort(),
      ).toEqual(['m1', later.id].sort());
    } finally {
      migrated.close();
    }
  });
});
