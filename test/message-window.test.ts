/**
 * Issue 7 item 9: the path is served in windows from its newest end, with totals the server counts for the
 * whole path. Windows put together must be the path exactly, and the stored totals must always equal a
 * count of the path, whatever happened to it (edits, toggles, tombstones, branches, copies, streams).
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/domain.ts';
import type { Store } from '../src/store/store.ts';
import { describeEachAppEngine } from './support/app-engines.ts';
import { describeEachEngine, type TestEngine } from './support/store-engines.ts';
import type { TestApp } from './support/test-app.ts';

async function linear(store: Store, count: number): Promise<string> {
  const conversation = await store.conversations.create({ title: 'long' });
  await store.transaction(async () => {
    for (let index = 0; index < count; index++) {
      await store.messages.append(conversation.id, {
        role: index % 2 === 0 ? 'user' : 'assistant',
        author: 'human',
        content: `message ${index} ${'word '.repeat(index % 7)}`,
      });
    }
  });
  return conversation.id;
}

/** Every window from the newest end, oldest first, as the page would load them while scrolling up. */
async function allWindows(
  store: Store,
  conversationId: string,
  limit: number,
  includeDeleted = false,
): Promise<Message[]> {
  const windows: Message[][] = [];
  let before: string | undefined;
  for (;;) {
    const window = await store.messages.window(conversationId, {
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
async function countedFromPath(store: Store, conversationId: string) {
  const path = await store.messages.path(conversationId, { includeDeleted: true });
  const live = path.filter((message) => !message.deleted);
  const included = live.filter((message) => message.included);
  return {
    messages: live.length,
    deleted: path.length - live.length,
    included: included.length,
    includedTokens: included.reduce((sum, message) => sum + message.tokenCount, 0),
  };
}

async function storedTotals(store: Store, conversationId: string) {
  const stats = await store.messages.pathStats(conversationId);
  if (stats === null) return null;
  const { leafId: _leafId, ...totals } = stats;
  return totals;
}

describeEachEngine('paths in windows', (engine: TestEngine) => {
  describe('windows of a path', () => {
    it('opens at the newest messages, and the windows above put together are the path', async () => {
      const store = await engine.openStore();
      const id = await linear(store, 23);
      const newest = await store.messages.window(id, { limit: 5 });
      expect(newest.messages.map((message) => message.content.split(' ')[1])).toEqual([
        '18',
        '19',
        '20',
        '21',
        '22',
      ]);
      expect(newest.hasOlder).toBe(true);
      expect(await allWindows(store, id, 5)).toEqual(await store.messages.path(id));
      expect((await store.messages.window(id, { limit: 23 })).hasOlder).toBe(false);
      expect((await store.messages.window(id, { limit: 22 })).hasOlder).toBe(true);
    });

    it('counts only shown messages towards a window, with or without the deleted ones', async () => {
      const store = await engine.openStore();
      const id = await linear(store, 12);
      const path = await store.messages.path(id);
      await store.messages.delete([path[3]!.id, path[8]!.id, path[9]!.id]);
      expect(await allWindows(store, id, 4)).toEqual(await store.messages.path(id));
      expect(await allWindows(store, id, 4, true)).toEqual(
        await store.messages.path(id, { includeDeleted: true }),
      );
      expect(
        (await store.messages.window(id, { limit: 3 })).messages.map((message) => message.deleted),
      ).toEqual([false, false, false]);
    });

    it('gives each message in a window the same sibling ids as the whole path does', async () => {
      const store = await engine.openStore();
      const id = await linear(store, 6);
      const path = await store.messages.path(id);
      await store.messages.append(id, {
        role: 'assistant',
        author: 'model',
        content: 'other',
        parentId: path[2]!.id,
      });
      await store.messages.append(id, {
        role: 'user',
        author: 'human',
        content: 'second root',
        parentId: null,
      });
      await store.messages.selectBranch(id, path[0]!.id);
      const window = await store.messages.window(id, { limit: 100 });
      expect(window.messages).toEqual(await store.messages.path(id));
      expect(window.messages[0]!.siblingIds).toHaveLength(2);
      expect(window.messages[3]!.siblingIds).toHaveLength(2);
    });

    it('loads every message up to an old one (a search hit) plus a window above it', async () => {
      const store = await engine.openStore();
      const id = await linear(store, 40);
      const path = await store.messages.path(id);
      const newest = await store.messages.window(id, { limit: 10 });
      const jump = await store.messages.window(id, {
        before: newest.messages[0]!.id,
        through: path[7]!.id,
        limit: 3,
      });
      expect(jump.messages).toEqual(path.slice(4, 30));
      expect(jump.hasOlder).toBe(true);
      const other = await store.conversations.create({});
      const stranger = await store.messages.append(other.id, {
        role: 'user',
        author: 'human',
        content: 'elsewhere',
      });
      await expect(store.messages.window(id, { through: stranger.id, limit: 3 })).rejects.toThrow(
        /no message above this window/,
      );
    });
  });

  describe('totals along the path', () => {
    it('stay equal to a count of the path through every kind of change', async () => {
      const store = await engine.openStore();
      const id = await linear(store, 8);
      const check = async () =>
        expect(await storedTotals(store, id)).toEqual(await countedFromPath(store, id));
      await check();
      const path = () => store.messages.path(id, { includeDeleted: true });
      const leaf = async () => (await path()).at(-1)!;

      await store.messages.revise(
        (await leaf()).id,
        'the leaf, edited at length with many more words than before',
        'human',
      );
      await check();
      await store.messages.revise((await path())[2]!.id, 'a middle message, edited', 'human');
      await check();
      await store.messages.setIncluded((await leaf()).id, false);
      await check();
      await store.messages.setIncluded((await path())[1]!.id, false);
      await check();
      await store.messages.delete([(await leaf()).id]);
      await check();
      await store.messages.restore([(await leaf()).id]);
      await check();
      await store.messages.delete([(await path())[4]!.id]);
      await check();
      const draft = await store.messages.append(id, {
        role: 'assistant',
        author: 'model',
        status: 'streaming',
      });
      await check();
      await store.messages.finishDraft(draft.id, {
        content: 'a streamed answer of several tokens',
        status: 'complete',
      });
      await check();
      const regenerated = await store.messages.append(id, {
        role: 'assistant',
        author: 'model',
        content: 'another answer',
        parentId: draft.parentId,
      });
      await check();
      await store.messages.selectBranch(id, draft.id);
      await check();
      await store.messages.append(id, { role: 'user', author: 'human', content: 'hidden', included: false });
      await check();
      await store.messages.copy(id, [regenerated.id, (await path())[0]!.id]);
      await check();
      await store.messages.append(id, {
        role: 'user',
        author: 'human',
        content: 'off the path',
        makeCurrent: false,
      });
      await check();
      await store.messages.append(id, {
        role: 'system',
        author: 'human',
        content: 'a new root',
        parentId: null,
      });
      await check();
    });

    it('come from the stored totals after an append at the leaf, without counting the path again', async () => {
      const store = await engine.openStore();
      const id = await linear(store, 5);
      // A stored total no count would give: if the next read counted the path, it would not survive.
      await store.conversations.setPathStats(id, {
        ...(await store.messages.pathStats(id))!,
        messages: 1000,
      });
      await store.messages.append(id, { role: 'user', author: 'human', content: 'one more' });
      expect((await store.messages.pathStats(id))?.messages).toBe(1001);
    });

    it('count live messages of every branch in the conversation list, kept by the database', async () => {
      const store = await engine.openStore();
      const id = await linear(store, 4);
      const path = await store.messages.path(id);
      await store.messages.append(id, {
        role: 'user',
        author: 'human',
        content: 'branch',
        parentId: path[1]!.id,
      });
      const count = async () =>
        (await store.conversations.list()).find((summary) => summary.id === id)?.messageCount;
      expect(await count()).toBe(5);
      await store.messages.delete([path[0]!.id, path[2]!.id]);
      expect(await count()).toBe(3);
      await store.messages.restore([path[2]!.id]);
      expect(await count()).toBe(4);
      const fork = await store.fork(id, path[3]!.id);
      expect((await store.conversations.list()).find((summary) => summary.id === fork.id)?.messageCount).toBe(
        3,
      );
    });

    it('are filled in for conversations written before the counts existed', async () => {
      const old = await engine.openStore({ targetVersion: 2 });
      const at = '2026-01-01T00:00:00.000Z';
      await sql`INSERT INTO conversations (id, title, created_at, updated_at, current_leaf_id)
      VALUES ('c', 'old', ${at}, ${at}, 'm3')`.execute(old.engine.db);
      for (const [id, parent] of [
        ['m1', null],
        ['m2', 'm1'],
        ['m3', 'm2'],
      ] as const) {
        await sql`INSERT INTO messages (id, conversation_id, parent_id, role, author, revision_count, created_at, updated_at)
        VALUES (${id}, 'c', ${parent}, 'user', 'human', 1, ${at}, ${at})`.execute(old.engine.db);
        await sql`INSERT INTO message_revisions (id, message_id, number, content, editor, token_count, created_at)
        VALUES (${`r${id}`}, ${id}, 1, 'text', 'human', 4, ${at})`.execute(old.engine.db);
      }
      await old.close();
      const store = await engine.openStore({ reopen: old });
      expect((await store.conversations.list())[0]?.messageCount).toBe(3);
      expect(await storedTotals(store, 'c')).toEqual(await countedFromPath(store, 'c'));
    });
  });
});

describeEachAppEngine('the windowed API', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await engine.startApp();
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
