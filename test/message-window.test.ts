/**
 * Issue 7 item 9: the path is served in windows from its newest end, with totals the server counts for the
 * whole path. Windows put together must be the path exactly, and the stored totals must always equal a
 * count of the path, whatever happened to it (edits, toggles, tombstones, branches, copies, streams).
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/domain.ts';
import { openDatabase } from '../src/store/open-database.ts';
import { Store } from '../src/store/store.ts';
import { makeTempDir } from './support/temp-dir.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

let dir: ReturnType<typeof makeTempDir>;
let store: Store;

beforeEach(() => {
  dir = makeTempDir('mp-window-');
  store = Store.open(join(dir.path, 'mp.db'));
});
afterEach(() => {
  store.close();
  dir.remove();
});

function linear(count: number) {
  const conversation = store.conversations.create({ title: 'long' });
  store.transaction(() => {
    for (let index = 0; index < count; index++) {
      store.messages.append(conversation.id, {
        role: index % 2 === 0 ? 'user' : 'assistant',
        author: 'human',
        content: `message ${index} ${'word '.repeat(index % 7)}`,
      });
    }
  });
  return conversation.id;
}

/** Every window from the newest end, oldest first, as the page would load them while scrolling up. */
function allWindows(conversationId: string, limit: number, includeDeleted = false): Message[] {
  const windows: Message[][] = [];
  let before: string | undefined;
  for (;;) {
    const window = store.messages.window(conversationId, {
      limit,
      includeDeleted,
      ...(before === undefined ? {} : { before }),
    });
    windows.unshift(window.messages);
    if (!window.hasOlder) break;
    expect(window.messages).toHaveLength(limit);
    before = window.messages[0]!.id;
  }
  return windows.flat();
}

/** What the stored totals must say: counted from the whole path. */
function countedFromPath(conversationId: string) {
  const path = store.messages.path(conversationId, { includeDeleted: true });
  const live = path.filter((message) => !message.deleted);
  const included = live.filter((message) => message.included);
  return {
    messages: live.length,
    deleted: path.length - live.length,
    included: included.length,
    includedTokens: included.reduce((sum, message) => sum + message.tokenCount, 0),
  };
}

function storedTotals(conversationId: string) {
  const stats = store.messages.pathStats(conversationId);
  if (stats === null) return null;
  const { leafId: _leafId, ...totals } = stats;
  return totals;
}

describe('windows of a path', () => {
  it('opens at the newest messages, and the windows above put together are the path', () => {
    const id = linear(23);
    const newest = store.messages.window(id, { limit: 5 });
    expect(newest.messages.map((message) => message.content.split(' ')[1])).toEqual([
      '18',
      '19',
      '20',
      '21',
      '22',
    ]);
    expect(newest.hasOlder).toBe(true);
    expect(allWindows(id, 5)).toEqual(store.messages.path(id));
    expect(store.messages.window(id, { limit: 23 }).hasOlder).toBe(false);
    expect(store.messages.window(id, { limit: 22 }).hasOlder).toBe(true);
  });

  it('counts only shown messages towards a window, with or without the deleted ones', () => {
    const id = linear(12);
    const path = store.messages.path(id);
    store.messages.delete([path[3]!.id, path[8]!.id, path[9]!.id]);
    expect(allWindows(id, 4)).toEqual(store.messages.path(id));
    expect(allWindows(id, 4, true)).toEqual(store.messages.path(id, { includeDeleted: true }));
    expect(store.messages.window(id, { limit: 3 }).messages.map((message) => message.deleted)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('gives each message in a window the same sibling ids as the whole path does', () => {
    const id = linear(6);
    const path = store.messages.path(id);
    store.messages.append(id, {
      role: 'assistant',
      author: 'model',
      content: 'other',
      parentId: path[2]!.id,
    });
    store.messages.append(id, { role: 'user', author: 'human', content: 'second root', parentId: null });
    store.messages.selectBranch(id, path[0]!.id);
    expect(store.messages.window(id, { limit: 100 }).messages).toEqual(store.messages.path(id));
    expect(store.messages.window(id, { limit: 100 }).messages[3]!.siblingIds).toHaveLength(2);
  });

  it('loads every message up to an old one (a search hit) plus a window above it', () => {
    const id = linear(40);
    const path = store.messages.path(id);
    const newest = store.messages.window(id, { limit: 10 });
    const jump = store.messages.window(id, {
      before: newest.messages[0]!.id,
      through: path[7]!.id,
      limit: 3,
    });
    expect(jump.messages).toEqual(path.slice(4, 30));
    expect(jump.hasOlder).toBe(true);
    const other = store.conversations.create({});
    const stranger = store.messages.append(other.id, { role: 'user', author: 'human', content: 'elsewhere' });
    expect(() => store.messages.window(id, { through: stranger.id, limit: 3 })).toThrow(
      /no message above this window/,
    );
  });
});

describe('totals along the path', () => {
  it('stay equal to a count of the path through every kind of change', () => {
    const id = linear(8);
    const check = () => expect(storedTotals(id)).toEqual(countedFromPath(id));
    check();
    const path = () => store.messages.path(id, { includeDeleted: true });
    const leaf = () => path().at(-1)!;

    store.messages.revise(leaf().id, 'the leaf, edited at length with many more words than before', 'human');
    check();
    store.messages.revise(path()[2]!.id, 'a middle message, edited', 'human');
    check();
    store.messages.setIncluded(leaf().id, false);
    check();
    store.messages.setIncluded(path()[1]!.id, false);
    check();
    store.messages.delete([leaf().id]);
    check();
    store.messages.restore([leaf().id]);
    check();
    store.messages.delete([path()[4]!.id]);
    check();
    const draft = store.messages.append(id, { role: 'assistant', author: 'model', status: 'streaming' });
    check();
    store.messages.finishDraft(draft.id, {
      content: 'a streamed answer of several tokens',
      status: 'complete',
    });
    check();
    const regenerated = store.messages.append(id, {
      role: 'assistant',
      author: 'model',
      content: 'another answer',
      parentId: draft.parentId,
    });
    check();
    store.messages.selectBranch(id, draft.id);
    check();
    store.messages.append(id, { role: 'user', author: 'human', content: 'hidden', included: false });
    check();
    store.messages.copy(id, [regenerated.id, path()[0]!.id]);
    check();
    store.messages.append(id, { role: 'user', author: 'human', content: 'off the path', makeCurrent: false });
    check();
    store.messages.append(id, { role: 'system', author: 'human', content: 'a new root', parentId: null });
    check();
  });

  it('come from the stored totals after an append at the leaf, without counting the path again', () => {
    const id = linear(5);
    store.messages.pathStats(id);
    // A stored total no count would give: if the next read counted the path, it would not survive.
    store.conversations.setPathStats(id, { ...store.messages.pathStats(id)!, messages: 1000 });
    store.messages.append(id, { role: 'user', author: 'human', content: 'one more' });
    expect(store.messages.pathStats(id)?.messages).toBe(1001);
  });

  it('count live messages of every branch in the conversation list, kept by the database', () => {
    const id = linear(4);
    const path = store.messages.path(id);
    store.messages.append(id, { role: 'user', author: 'human', content: 'branch', parentId: path[1]!.id });
    const count = () => store.conversations.list().find((summary) => summary.id === id)?.messageCount;
    expect(count()).toBe(5);
    store.messages.delete([path[0]!.id, path[2]!.id]);
    expect(count()).toBe(3);
    store.messages.restore([path[2]!.id]);
    expect(count()).toBe(4);
    const fork = store.fork(id, path[3]!.id);
    expect(store.conversations.list().find((summary) => summary.id === fork.id)?.messageCount).toBe(3);
  });

  it('are filled in for conversations written before the counts existed', () => {
    store.close();
    const path = join(dir.path, 'old.db');
    const old = openDatabase(path, { targetVersion: 2 });
    const at = '2026-01-01T00:00:00.000Z';
    old.exec(`INSERT INTO conversations (id, title, created_at, updated_at, current_leaf_id)
      VALUES ('c', 'old', '${at}', '${at}', 'm3')`);
    for (const [id, parent] of [
      ['m1', null],
      ['m2', 'm1'],
      ['m3', 'm2'],
    ] as const) {
      old.exec(`INSERT INTO messages (id, conversation_id, parent_id, role, author, revision_count, created_at, updated_at)
        VALUES ('${id}', 'c', ${parent === null ? 'NULL' : `'${parent}'`}, 'user', 'human', 1, '${at}', '${at}')`);
      old.exec(`INSERT INTO message_revisions (id, message_id, number, content, editor, token_count, created_at)
        VALUES ('r${id}', '${id}', 1, 'text', 'human', 4, '${at}')`);
    }
    old.close();
    const conversation = { id: 'c' };
    store = Store.open(path);
    expect(store.conversations.list()[0]?.messageCount).toBe(3);
    expect(storedTotals(conversation.id)).toEqual(countedFromPath(conversation.id));
  });
});

describe('the windowed API', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it('opens with the newest window and the totals, and serves older windows with a cursor', async () => {
    const created = (await (await app.api('POST', '/api/conversations', { title: 'w' })).json()) as {
      id: string;
    };
    for (let index = 0; index < 7; index++) {
      await app.api('POST', `/api/conversations/${created.id}/messages`, {
        role: 'user',
        content: `m${index}`,
        included: index !== 3,
      });
    }
    const opened = (await (await app.api('GET', `/api/conversations/${created.id}?limit=3`)).json()) as {
      messages: Message[];
      hasOlder: boolean;
      pathStats: { messages: number; included: number; includedTokens: number };
    };
    expect(opened.messages.map((message) => message.content)).toEqual(['m4', 'm5', 'm6']);
    expect(opened.hasOlder).toBe(true);
    expect(opened.pathStats).toMatchObject({ messages: 7, deleted: 0, included: 6 });
    expect(opened.pathStats.includedTokens).toBeGreaterThan(0);

    const older = (await (
      await app.api(
        'GET',
        `/api/conversations/${created.id}/messages?before=${opened.messages[0]!.id}&limit=3`,
      )
    ).json()) as { messages: Message[]; hasOlder: boolean };
    expect(older.messages.map((message) => message.content)).toEqual(['m1', 'm2', 'm3']);
    expect(older.hasOlder).toBe(true);

    const tooMany = await app.api('GET', `/api/conversations/${created.id}/messages?limit=100000`);
    expect(tooMany.status).toBe(400);
  });
});
