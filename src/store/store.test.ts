import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { olderDatabase } from '../../test/support/older-database.ts';
import { makeTempDir } from '../../test/support/temp-dir.ts';
import { SCHEMA_VERSION } from './migrations.ts';
import { DatabaseTooNewError, openDatabase, schemaVersion } from './open-database.ts';
import { openSqlite, pragma, setPragma } from './sqlite.ts';
import { Store } from './store.ts';

let dir: ReturnType<typeof makeTempDir>;
let store: Store;
let path: string;

beforeEach(() => {
  dir = makeTempDir('mp-store-');
  path = join(dir.path, 'data', 'mp.db');
  store = Store.open(path);
});
afterEach(() => {
  store.close();
  dir.remove();
});

function conversationWithMessages(texts: string[]) {
  const conversation = store.conversations.create({ title: 'Linear algebra' });
  const messages = texts.map((content, index) =>
    store.messages.append(conversation.id, {
      role: index === 0 ? 'system' : 'user',
      author: 'human',
      content,
    }),
  );
  return { conversation, messages };
}

describe('opening a database', () => {
  it('uses WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    expect(pragma(store.db, 'journal_mode')).toBe('wal');
    expect(pragma(store.db, 'synchronous')).toBe(2);
    expect(pragma(store.db, 'foreign_keys')).toBe(1);
    expect(pragma(store.db, 'busy_timeout')).toBe(5000);
    expect(schemaVersion(store.db)).toBe(SCHEMA_VERSION);
  });

  it('migrates an older database on open, keeping its data searchable', () => {
    const olderPath = join(dir.path, 'older.db');
    const older = olderDatabase(olderPath, 1, {
      title: 'Before search existed',
      message: 'quaternion maths',
    });
    expect(schemaVersion(older)).toBe(1);
    older.close();

    const migrated = Store.open(olderPath);
    expect(schemaVersion(migrated.db)).toBe(SCHEMA_VERSION);
    expect(migrated.search.search('quatern').messages).toHaveLength(1);
    expect(migrated.search.search('before').conversations).toHaveLength(1);
    migrated.close();
  });

  it('refuses a database written by a newer version, with a message saying what to do', () => {
    const newerPath = join(dir.path, 'newer.db');
    const raw = openSqlite(newerPath);
    setPragma(raw, 'user_version', SCHEMA_VERSION + 1);
    raw.close();
    expect(() => openDatabase(newerPath)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(newerPath)).toThrow(/upgrade ModelProgrammer/);
  });
});

describe('messages and revisions', () => {
  it('gives UUIDv7 ids and appends after the current leaf', () => {
    const { conversation, messages } = conversationWithMessages(['system', 'first', 'second']);
    expect(conversation.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(messages[1]!.parentId).toBe(messages[0]!.id);
    expect(messages[2]!.parentId).toBe(messages[1]!.id);
    expect(store.messages.path(conversation.id).map((m) => m.content)).toEqual(['system', 'first', 'second']);
    expect(store.conversations.get(conversation.id).currentLeafId).toBe(messages[2]!.id);
  });

  it('never updates or deletes a revision: editing appends, and the database refuses changes', () => {
    const { messages } = conversationWithMessages(['original text']);
    const id = messages[0]!.id;
    store.messages.revise(id, 'second text', 'human');
    store.messages.revise(id, 'third text', 'human');
    const revisions = store.messages.revisions(id);
    expect(revisions.map((r) => [r.number, r.content, r.editor])).toEqual([
      [1, 'original text', 'human'],
      [2, 'second text', 'human'],
      [3, 'third text', 'human'],
    ]);
    expect(store.messages.get(id)).toMatchObject({ content: 'third text', revision: 3 });
    expect(() => store.db.prepare("UPDATE message_revisions SET content = 'x'").run()).toThrow(/immutable/);
    expect(() => store.db.prepare('DELETE FROM message_revisions').run()).toThrow(/immutable/);
    expect(store.messages.revisions(id).map((r) => r.content)).toEqual([
      'original text',
      'second text',
      'third text',
    ]);
  });

  it('adds no revision when the text did not change', () => {
    const { messages } = conversationWithMessages(['same']);
    store.messages.revise(messages[0]!.id, 'same', 'human');
    expect(store.messages.revisions(messages[0]!.id)).toHaveLength(1);
  });

  it('keeps a streamed answer as a draft and writes it as revision 1 by the model when it ends', () => {
    const { conversation } = conversationWithMessages(['question']);
    const answer = store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      status: 'streaming',
    });
    store.messages.updateDraft(answer.id, { content: 'Hel' });
    expect(store.messages.get(answer.id)).toMatchObject({ content: 'Hel', status: 'streaming' });
    expect(store.messages.revisions(answer.id)).toHaveLength(0);
    store.messages.finishDraft(answer.id, { content: 'Hello', status: 'complete' });
    expect(store.messages.revisions(answer.id)).toMatchObject([
      { number: 1, content: 'Hello', editor: 'model' },
    ]);
  });

  it('toggles inclusion without touching revisions', () => {
    const { messages } = conversationWithMessages(['text']);
    expect(store.messages.setIncluded(messages[0]!.id, false).included).toBe(false);
    expect(store.messages.revisions(messages[0]!.id)).toHaveLength(1);
  });

  it('counts tokens per revision', () => {
    const { messages } = conversationWithMessages(['hello world, this is a test']);
    expect(messages[0]!.tokenCount).toBeGreaterThan(3);
    expect(messages[0]!.tokenCount).toBeLessThan(12);
  });
});

describe('deleting is a tombstone that can be undone', () => {
  it('hides a deleted message from the path and the counts, and restore brings it back', () => {
    const { conversation, messages } = conversationWithMessages(['a', 'b', 'c']);
    store.messages.delete([messages[1]!.id]);
    expect(store.messages.path(conversation.id).map((m) => m.content)).toEqual(['a', 'c']);
    expect(store.messages.path(conversation.id, { includeDeleted: true }).map((m) => m.deleted)).toEqual([
      false,
      true,
      false,
    ]);
    expect(store.conversations.list()[0]!.messageCount).toBe(2);
    expect(store.messages.get(messages[1]!.id).deleted).toBe(true);

    store.messages.restore([messages[1]!.id]);
    expect(store.messages.path(conversation.id).map((m) => m.content)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a hard delete of a message or a conversation', () => {
    const { conversation } = conversationWithMessages(['a']);
    expect(() => store.db.prepare('DELETE FROM messages').run()).toThrow(/tombstoned/);
    expect(() => store.db.prepare('DELETE FROM conversations').run()).toThrow(/tombstoned/);
    store.conversations.delete(conversation.id);
    expect(store.conversations.list()).toHaveLength(0);
    store.conversations.restore(conversation.id);
    expect(store.conversations.list()).toHaveLength(1);
  });

  it('refuses to edit a deleted message until it is restored', () => {
    const { messages } = conversationWithMessages(['a']);
    store.messages.delete([messages[0]!.id]);
    expect(() => store.messages.revise(messages[0]!.id, 'b', 'human')).toThrow(/restore it first/);
  });
});

describe('branches, forks and copies', () => {
  it('adds a sibling under a given parent and switches branches', () => {
    const { conversation, messages } = conversationWithMessages(['system', 'question', 'answer one']);
    const second = store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'answer two',
      parentId: messages[1]!.id,
    });
    expect(second.siblingIds).toEqual([messages[2]!.id, second.id]);
    expect(store.messages.path(conversation.id).at(-1)!.content).toBe('answer two');
    store.messages.selectBranch(conversation.id, messages[2]!.id);
    expect(store.messages.path(conversation.id).at(-1)!.content).toBe('answer one');
  });

  it('forks a path into a new conversation, recording where each copy came from', () => {
    const { conversation, messages } = conversationWithMessages(['system', 'question', 'answer', 'later']);
    store.messages.revise(messages[1]!.id, 'question, edited', 'human');
    store.messages.delete([messages[0]!.id]);
    const fork = store.fork(conversation.id, messages[2]!.id);
    expect(fork.forkedFromConversationId).toBe(conversation.id);
    expect(fork.forkedFromMessageId).toBe(messages[2]!.id);
    const path = store.messages.path(fork.id);
    expect(path.map((m) => m.content)).toEqual(['question, edited', 'answer']);
    expect(path.map((m) => m.sourceMessageId)).toEqual([messages[1]!.id, messages[2]!.id]);
    expect(store.messages.revisions(path[0]!.id).map((r) => r.content)).toEqual([
      'question',
      'question, edited',
    ]);
    expect(path.every((m) => m.conversationId === fork.id)).toBe(true);
    // The source is untouched.
    expect(store.messages.path(conversation.id).map((m) => m.content)).toHaveLength(3);
  });

  it('copies messages from several conversations in the given order', () => {
    const first = conversationWithMessages(['one', 'two']);
    const second = conversationWithMessages(['three']);
    const target = conversationWithMessages(['start']);
    const copies = store.messages.copy(target.conversation.id, [
      second.messages[0]!.id,
      first.messages[1]!.id,
    ]);
    expect(copies.map((m) => m.sourceMessageId)).toEqual([second.messages[0]!.id, first.messages[1]!.id]);
    expect(store.messages.path(target.conversation.id).map((m) => m.content)).toEqual([
      'start',
      'three',
      'two',
    ]);
  });

  it('refuses a parent from another conversation', () => {
    const first = conversationWithMessages(['one']);
    const second = conversationWithMessages(['two']);
    expect(() =>
      store.messages.append(second.conversation.id, {
        role: 'user',
        author: 'human',
        content: 'x',
        parentId: first.messages[0]!.id,
      }),
    ).toThrow(/another conversation/);
  });
});

describe('search', () => {
  it('finds messages by word prefix and conversations by title, leaving out tombstones', () => {
    const { conversation, messages } = conversationWithMessages([
      'You are a programmer',
      'Write a Vector3 class',
    ]);
    expect(store.search.search('vect').messages.map((m) => m.id)).toEqual([messages[1]!.id]);
    expect(store.search.search('vect').messages[0]!.snippet).toContain('«Vector3»');
    expect(store.search.search('linear').conversations.map((c) => c.id)).toEqual([conversation.id]);
    store.messages.delete([messages[1]!.id]);
    expect(store.search.search('vect').messages).toHaveLength(0);
  });

  it('indexes the current revision only', () => {
    const { messages } = conversationWithMessages(['alpha']);
    store.messages.revise(messages[0]!.id, 'beta', 'human');
    expect(store.search.search('alpha').messages).toHaveLength(0);
    expect(store.search.search('beta').messages).toHaveLength(1);
  });

  it('treats any typed text as words, never as FTS syntax', () => {
    conversationWithMessages(['some "quoted" AND text']);
    for (const query of ['"', 'AND OR NOT', '*', 'a:b', '(((', 'NEAR(']) {
      expect(() => store.search.search(query)).not.toThrow();
    }
    expect(store.search.search('"quoted').messages).toHaveLength(1);
  });
});
