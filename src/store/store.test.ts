import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachEngine, itOn, type TestEngine } from '../../test/support/store-engines.ts';
import { SCHEMA_VERSION } from './migrations.ts';
import { schemaVersion } from './open-database.ts';
import { pragma } from './sqlite.ts';
import type { Store } from './store.ts';

async function conversationWithMessages(store: Store, texts: string[]) {
  const conversation = await store.conversations.create({ title: 'Linear algebra' });
  const messages = [];
  for (const [index, content] of texts.entries()) {
    messages.push(
      await store.messages.append(conversation.id, {
        role: index === 0 ? 'system' : 'user',
        author: 'human',
        content,
      }),
    );
  }
  return { conversation, messages };
}

/** A statement run past the store's code, as anyone with the database could: the database must refuse it. */
async function rawFailure(store: Store, statement: ReturnType<typeof sql>): Promise<Error> {
  try {
    await statement.execute(store.engine.db);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the database accepted the statement');
}

/** The version the schema says it is at, as each engine records it. */
async function storedVersion(store: Store): Promise<number> {
  if (store.engine.kind === 'sqlite') return schemaVersion(store.engine.sqlite);
  const { rows } = await sql<{
    version: number;
  }>`SELECT MAX(version) AS version FROM mp_schema_migrations`.execute(store.engine.db);
  return rows[0]!.version;
}

/** Marks the database as written by the next version, as that version would. */
async function markNewer(store: Store): Promise<void> {
  if (store.engine.kind === 'sqlite') {
    store.engine.sqlite.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    return;
  }
  await sql`INSERT INTO mp_schema_migrations (version, description, applied_at)
    VALUES (${SCHEMA_VERSION + 1}, 'from the future', '2099-01-01T00:00:00.000Z')`.execute(store.engine.db);
}

describeEachEngine('the store', (engine: TestEngine) => {
  describe('opening a database', () => {
    itOn(engine, 'sqlite')('uses WAL, synchronous=FULL, foreign keys and a busy timeout', async () => {
      const store = await engine.openStore();
      if (store.engine.kind !== 'sqlite') throw new Error('a SQLite store expected');
      expect(pragma(store.engine.sqlite, 'journal_mode')).toBe('wal');
      expect(pragma(store.engine.sqlite, 'synchronous')).toBe(2);
      expect(pragma(store.engine.sqlite, 'foreign_keys')).toBe(1);
      expect(pragma(store.engine.sqlite, 'busy_timeout')).toBe(5000);
    });

    it('migrates an older database on open, keeping its data searchable', async () => {
      const older = await engine.openStore({ targetVersion: 1 });
      expect(await storedVersion(older)).toBe(1);
      const at = new Date().toISOString();
      await sql`INSERT INTO conversations (id, title, created_at, updated_at)
      VALUES ('c1', 'Before search existed', ${at}, ${at})`.execute(older.engine.db);
      await sql`INSERT INTO messages (id, conversation_id, role, author, revision_count, created_at, updated_at)
      VALUES ('m1', 'c1', 'user', 'human', 1, ${at}, ${at})`.execute(older.engine.db);
      await sql`INSERT INTO message_revisions (id, message_id, number, content, editor, created_at)
      VALUES ('r1', 'm1', 1, 'quaternion maths', 'human', ${at})`.execute(older.engine.db);
      await older.close();

      const migrated = await engine.openStore({ reopen: older });
      expect(await storedVersion(migrated)).toBe(SCHEMA_VERSION);
      expect((await migrated.search.search('quatern')).messages).toHaveLength(1);
      expect((await migrated.search.search('before')).conversations).toHaveLength(1);
    });

    it('refuses a database written by a newer version, with a message saying what to do', async () => {
      const store = await engine.openStore();
      await markNewer(store);
      await store.close();
      await expect(engine.openStore({ reopen: store })).rejects.toMatchObject({
        code: 'database_too_new',
        message: expect.stringMatching(/upgrade ModelProgrammer/),
      });
    });
  });

  describe('messages and revisions', () => {
    it('gives UUIDv7 ids and appends after the current leaf', async () => {
      const store = await engine.openStore();
      const { conversation, messages } = await conversationWithMessages(store, ['system', 'first', 'second']);
      expect(conversation.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(messages[1]!.parentId).toBe(messages[0]!.id);
      expect(messages[2]!.parentId).toBe(messages[1]!.id);
      expect((await store.messages.path(conversation.id)).map((m) => m.content)).toEqual([
        'system',
        'first',
        'second',
      ]);
      expect((await store.conversations.get(conversation.id)).currentLeafId).toBe(messages[2]!.id);
    });

    it('never updates or deletes a revision: editing appends, and the database refuses changes', async () => {
      const store = await engine.openStore();
      const { messages } = await conversationWithMessages(store, ['original text']);
      const id = messages[0]!.id;
      await store.messages.revise(id, 'second text', 'human');
      await store.messages.revise(id, 'third text', 'human');
      const revisions = await store.messages.revisions(id);
      expect(revisions.map((r) => [r.number, r.content, r.editor])).toEqual([
        [1, 'original text', 'human'],
        [2, 'second text', 'human'],
        [3, 'third text', 'human'],
      ]);
      expect(await store.messages.get(id)).toMatchObject({ content: 'third text', revision: 3 });
      expect((await rawFailure(store, sql`UPDATE message_revisions SET content = 'x'`)).message).toMatch(
        /immutable/,
      );
      expect((await rawFailure(store, sql`DELETE FROM message_revisions`)).message).toMatch(/immutable/);
      expect((await store.messages.revisions(id)).map((r) => r.content)).toEqual([
        'original text',
        'second text',
        'third text',
      ]);
    });

    it('adds no revision when the text did not change', async () => {
      const store = await engine.openStore();
      const { messages } = await conversationWithMessages(store, ['same']);
      await store.messages.revise(messages[0]!.id, 'same', 'human');
      expect(await store.messages.revisions(messages[0]!.id)).toHaveLength(1);
    });

    it('keeps a streamed answer as a draft and writes it as revision 1 by the model when it ends', async () => {
      const store = await engine.openStore();
      const { conversation } = await conversationWithMessages(store, ['question']);
      const answer = await store.messages.append(conversation.id, {
        role: 'assistant',
        author: 'model',
        status: 'streaming',
      });
      await store.messages.updateDraft(answer.id, { content: 'Hel' });
      expect(await store.messages.get(answer.id)).toMatchObject({ content: 'Hel', status: 'streaming' });
      expect(await store.messages.revisions(answer.id)).toHaveLength(0);
      await store.messages.finishDraft(answer.id, { content: 'Hello', status: 'complete' });
      expect(await store.messages.revisions(answer.id)).toMatchObject([
        { number: 1, content: 'Hello', editor: 'model' },
      ]);
    });

    it('ends the answers a crash left streaming, keeping what was persisted, as errors', async () => {
      const store = await engine.openStore();
      const { conversation } = await conversationWithMessages(store, ['question']);
      const answer = await store.messages.append(conversation.id, {
        role: 'assistant',
        author: 'model',
        status: 'streaming',
      });
      await store.messages.updateDraft(answer.id, { content: 'half an ans' });
      expect(await store.messages.finishAbandonedDrafts()).toEqual([answer.id]);
      expect(await store.messages.get(answer.id)).toMatchObject({ content: 'half an ans', status: 'error' });
      expect(await store.messages.revisions(answer.id)).toMatchObject([{ number: 1, editor: 'model' }]);
      expect(await store.messages.finishAbandonedDrafts()).toEqual([]);
    });

    it('toggles inclusion without touching revisions', async () => {
      const store = await engine.openStore();
      const { messages } = await conversationWithMessages(store, ['text']);
      expect((await store.messages.setIncluded(messages[0]!.id, false)).included).toBe(false);
      expect(await store.messages.revisions(messages[0]!.id)).toHaveLength(1);
    });

    it('counts tokens per revision', async () => {
      const store = await engine.openStore();
      const { messages } = await conversationWithMessages(store, ['hello world, this is a test']);
      expect(messages[0]!.tokenCount).toBeGreaterThan(3);
      expect(messages[0]!.tokenCount).toBeLessThan(12);
    });

    it('writes nothing of an append that fails half-way inside a transaction', async () => {
      const store = await engine.openStore();
      const { conversation, messages } = await conversationWithMessages(store, ['a']);
      await expect(
        store.transaction(async () => {
          await store.messages.append(conversation.id, { role: 'user', author: 'human', content: 'b' });
          throw new Error('the action failed after the append');
        }),
      ).rejects.toThrow(/failed after the append/);
      expect((await store.messages.path(conversation.id)).map((m) => m.id)).toEqual([messages[0]!.id]);
      expect((await store.conversations.list())[0]!.messageCount).toBe(1);
    });
  });

  itOn(engine, 'postgres')(
    'reading the head for an append locks the conversation’s row until the transaction ends',
    async () => {
      const store = await engine.openStore();
      const other = await engine.openStore({ reopen: store });
      const conversation = await store.conversations.create({ title: 'locked' });
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let appended!: () => void;
      const inside = new Promise<void>((resolve) => {
        appended = resolve;
      });
      const writing = store.transaction(async () => {
        // Before anything is written: the append reads the leaf here and moves it later.
        await store.conversations.head(conversation.id);
        appended();
        await held;
      });
      await inside;
      // NOWAIT: a lock held elsewhere is an error at once (55P03) instead of a wait.
      const probe = other.transaction(() =>
        sql`SELECT id FROM conversations WHERE id = ${conversation.id} FOR UPDATE NOWAIT`.execute(
          other.database.db,
        ),
      );
      await expect(probe).rejects.toMatchObject({ code: '55P03' });
      release();
      await writing;
      await other.transaction(() =>
        sql`SELECT id FROM conversations WHERE id = ${conversation.id} FOR UPDATE NOWAIT`.execute(
          other.database.db,
        ),
      );
    },
  );

  describe('deleting is a tombstone that can be undone', () => {
    it('hides a deleted message from the path and the counts, and restore brings it back', async () => {
      const store = await engine.openStore();
      const { conversation, messages } = await conversationWithMessages(store, ['a', 'b', 'c']);
      await store.messages.delete([messages[1]!.id]);
      expect((await store.messages.path(conversation.id)).map((m) => m.content)).toEqual(['a', 'c']);
      expect(
        (await store.messages.path(conversation.id, { includeDeleted: true })).map((m) => m.deleted),
      ).toEqual([false, true, false]);
      expect((await store.conversations.list())[0]!.messageCount).toBe(2);
      expect((await store.messages.get(messages[1]!.id)).deleted).toBe(true);

      await store.messages.restore([messages[1]!.id]);
      expect((await store.messages.path(conversation.id)).map((m) => m.content)).toEqual(['a', 'b', 'c']);
    });

    it('refuses a hard delete of a message or a conversation', async () => {
      const store = await engine.openStore();
      const { conversation } = await conversationWithMessages(store, ['a']);
      expect((await rawFailure(store, sql`DELETE FROM messages`)).message).toMatch(/tombstoned/);
      expect((await rawFailure(store, sql`DELETE FROM conversations`)).message).toMatch(/tombstoned/);
      await store.conversations.delete(conversation.id);
      expect(await store.conversations.list()).toHaveLength(0);
      await store.conversations.restore(conversation.id);
      expect(await store.conversations.list()).toHaveLength(1);
    });

    it('refuses to edit a deleted message until it is restored', async () => {
      const store = await engine.openStore();
      const { messages } = await conversationWithMessages(store, ['a']);
      await store.messages.delete([messages[0]!.id]);
      await expect(store.messages.revise(messages[0]!.id, 'b', 'human')).rejects.toThrow(/restore it first/);
    });
  });

  describe('branches, forks and copies', () => {
    it('adds a sibling under a given parent and switches branches', async () => {
      const store = await engine.openStore();
      const { conversation, messages } = await conversationWithMessages(store, [
        'system',
        'question',
        'answer one',
      ]);
      const second = await store.messages.append(conversation.id, {
        role: 'assistant',
        author: 'model',
        content: 'answer two',
        parentId: messages[1]!.id,
      });
      expect(second.siblingIds).toEqual([messages[2]!.id, second.id]);
      expect((await store.messages.path(conversation.id)).at(-1)!.content).toBe('answer two');
      await store.messages.selectBranch(conversation.id, messages[2]!.id);
      expect((await store.messages.path(conversation.id)).at(-1)!.content).toBe('answer one');
    });

    it('gives roots their siblings too: the other roots of the same conversation only', async () => {
      const store = await engine.openStore();
      const { conversation, messages } = await conversationWithMessages(store, ['first root']);
      await conversationWithMessages(store, ['a root elsewhere']);
      const second = await store.messages.append(conversation.id, {
        role: 'system',
        author: 'human',
        content: 'second root',
        parentId: null,
      });
      expect(second.siblingIds).toEqual([messages[0]!.id, second.id]);
      expect((await store.messages.get(messages[0]!.id)).siblingIds).toEqual([messages[0]!.id, second.id]);
    });

    it('forks a path into a new conversation, recording where each copy came from', async () => {
      const store = await engine.openStore();
      const { conversation, messages } = await conversationWithMessages(store, [
        'system',
        'question',
        'answer',
        'later',
      ]);
      await store.messages.revise(messages[1]!.id, 'question, edited', 'human');
      await store.messages.delete([messages[0]!.id]);
      const fork = await store.fork(conversation.id, messages[2]!.id);
      expect(fork.forkedFromConversationId).toBe(conversation.id);
      expect(fork.forkedFromMessageId).toBe(messages[2]!.id);
      const path = await store.messages.path(fork.id);
      expect(path.map((m) => m.content)).toEqual(['question, edited', 'answer']);
      expect(path.map((m) => m.sourceMessageId)).toEqual([messages[1]!.id, messages[2]!.id]);
      expect((await store.messages.revisions(path[0]!.id)).map((r) => r.content)).toEqual([
        'question',
        'question, edited',
      ]);
      expect(path.every((m) => m.conversationId === fork.id)).toBe(true);
      // The source is untouched.
      expect(await store.messages.path(conversation.id)).toHaveLength(3);
    });

    it('copies messages from several conversations in the given order', async () => {
      const store = await engine.openStore();
      const first = await conversationWithMessages(store, ['one', 'two']);
      const second = await conversationWithMessages(store, ['three']);
      const target = await conversationWithMessages(store, ['start']);
      const copies = await store.messages.copy(target.conversation.id, [
        second.messages[0]!.id,
        first.messages[1]!.id,
      ]);
      expect(copies.map((m) => m.sourceMessageId)).toEqual([second.messages[0]!.id, first.messages[1]!.id]);
      expect((await store.messages.path(target.conversation.id)).map((m) => m.content)).toEqual([
        'start',
        'three',
        'two',
      ]);
    });

    it('refuses a parent from another conversation', async () => {
      const store = await engine.openStore();
      const first = await conversationWithMessages(store, ['one']);
      const second = await conversationWithMessages(store, ['two']);
      await expect(
        store.messages.append(second.conversation.id, {
          role: 'user',
          author: 'human',
          content: 'x',
          parentId: first.messages[0]!.id,
        }),
      ).rejects.toThrow(/another conversation/);
    });
  });

  describe('search', () => {
    it('finds messages by word prefix and conversations by title, leaving out tombstones', async () => {
      const store = await engine.openStore();
      const { conversation, messages } = await conversationWithMessages(store, [
        'You are a programmer',
        'Write a Vector3 class',
      ]);
      expect((await store.search.search('vect')).messages.map((m) => m.id)).toEqual([messages[1]!.id]);
      expect((await store.search.search('vect')).messages[0]!.snippet).toContain('«Vector3»');
      expect((await store.search.search('linear')).conversations.map((c) => c.id)).toEqual([conversation.id]);
      await store.messages.delete([messages[1]!.id]);
      expect((await store.search.search('vect')).messages).toHaveLength(0);
    });

    it('indexes the current revision only', async () => {
      const store = await engine.openStore();
      const { messages } = await conversationWithMessages(store, ['alpha']);
      await store.messages.revise(messages[0]!.id, 'beta', 'human');
      expect((await store.search.search('alpha')).messages).toHaveLength(0);
      expect((await store.search.search('beta')).messages).toHaveLength(1);
    });

    it('treats any typed text as words, never as query syntax', async () => {
      const store = await engine.openStore();
      await conversationWithMessages(store, ['some "quoted" AND text']);
      for (const query of ['"', 'AND OR NOT', '*', 'a:b', '(((', 'NEAR(', "'", '!&|', ':*']) {
        await expect(store.search.search(query)).resolves.toBeDefined();
      }
      expect((await store.search.search('"quoted')).messages).toHaveLength(1);
    });
  });
});
