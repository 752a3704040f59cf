import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importLegacyDatabase, LEGACY_REQUEST } from '../src/agent/legacy-import.ts';
import type { Message } from '../src/core/domain.ts';
import { InvalidLegacyDatabaseError } from '../src/core/legacy/invalid-legacy-database-error.ts';
import { openSqlite } from '../src/store/sqlite.ts';
import { Store } from '../src/store/store.ts';
import { hasSharedFixture, REPO_ROOT, requirement, sharedFixture } from './support/environment.ts';
import { LegacyFixture } from './support/legacy-fixture.ts';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mp-legacy-import-'));
  store = Store.open(join(dir, 'data', 'modelprogrammer.db'));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function importFile(fixture: LegacyFixture, name = 'legacy.db') {
  return importLegacyDatabase({ store, path: fixture.write(join(dir, name)) });
}

function onlyConversation() {
  const [summary, ...others] = store.conversations.list();
  expect(others).toEqual([]);
  if (!summary) throw new Error('no conversation was imported');
  return store.conversations.get(summary.id);
}

const described = (messages: Message[]) => messages.map((message) => `${message.author}: ${message.content}`);

function rowCounts(): Record<string, number> {
  const tables = [
    'conversations',
    'messages',
    'message_revisions',
    'model_calls',
    'import_keys',
    'search_index',
  ];
  return Object.fromEntries(
    tables.map((table) => [
      table,
      (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
    ]),
  );
}

/** A short session as the original saved it: a snapshot after every message. */
function session(legacy: LegacyFixture, steps: (() => number)[]): number[] {
  const path: number[] = [];
  for (const step of steps) {
    path.push(step());
    legacy.snapshot(path);
  }
  return path;
}

describe('importLegacyDatabase', () => {
  it('makes a chain of growing snapshots one conversation, with original times, authors and roles', () => {
    const legacy = new LegacyFixture();
    session(legacy, [
      () => legacy.typed('system', 'You are an AI programmer.'),
      () => legacy.human('List the files'),
      () => legacy.answer('ls').message,
      () => legacy.terminal('a.txt  b.txt'),
    ]);

    const progress: { done: number; total: number }[] = [];
    const result = importLegacyDatabase({
      store,
      path: legacy.write(join(dir, 'legacy.db')),
      onProgress: (step) => progress.push(step),
    });

    expect(result).toMatchObject({ conversations: 1, messages: 4, revisions: 0, modelCalls: 1 });
    expect(progress.map((step) => step.done)).toEqual([0, 1, 2, 3, 4]);
    expect(progress.every((step) => step.total === 4)).toBe(true);
    const conversation = onlyConversation();
    expect(conversation.title).toBe('List the files');
    expect(conversation.createdAt).toBe('2023-04-02T20:00:01.000Z');
    const path = store.messages.path(conversation.id);
    expect(described(path)).toEqual([
      'human: You are an AI programmer.',
      'human: List the files',
      'model: ls',
      'terminal: a.txt  b.txt',
    ]);
    expect(path.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(path.map((message) => message.createdAt)).toEqual([
      '2023-04-02T20:00:01.000Z',
      '2023-04-02T20:00:03.000Z',
      '2023-04-02T20:00:05.000Z',
      '2023-04-02T20:00:07.000Z',
    ]);
    expect(path.every((message) => message.siblingIds.length === 1)).toBe(true);
  });

  it('turns diverging snapshots into branches, the latest snapshot being the current path', () => {
    const legacy = new LegacyFixture();
    const [system] = session(legacy, [
      () => legacy.typed('system', 'sys'),
      () => legacy.human('first try'),
      () => legacy.answer('first answer').message,
    ]);
    legacy.snapshot([system as number]);
    session(legacy, [() => system as number, () => legacy.human('second try')]);

    importFile(legacy);

    const conversation = onlyConversation();
    const path = store.messages.path(conversation.id);
    expect(described(path)).toEqual(['human: sys', 'human: second try']);
    const [first] = path[1]?.siblingIds ?? [];
    expect(path[1]?.siblingIds).toHaveLength(2);
    expect(store.messages.get(first as string).content).toBe('first try');
    store.messages.selectBranch(conversation.id, first as string);
    expect(described(store.messages.path(conversation.id))).toEqual([
      'human: sys',
      'human: first try',
      'model: first answer',
    ]);
  });

  it('makes a chain of edits later revisions of one message; revision 1 is what the model wrote', () => {
    const legacy = new LegacyFixture();
    const [ask, answer] = session(legacy, [
      () => legacy.human('finish it'),
      () => legacy.answer('Sure thing!').message,
    ]);
    const firstEdit = legacy.wait(60).edit(answer as number, 'cat Matrix4.py');
    const secondEdit = legacy.wait(60).edit(firstEdit, 'echo "looking"; cat Matrix4.py');
    legacy.snapshot([ask as number, secondEdit, legacy.terminal('class Matrix4')]);

    const result = importFile(legacy);

    expect(result).toMatchObject({ messages: 3, revisions: 2 });
    const message = store.messages.path(onlyConversation().id)[1] as Message;
    expect(message).toMatchObject({
      author: 'model',
      revision: 3,
      content: 'echo "looking"; cat Matrix4.py',
    });
    expect(
      store.messages.revisions(message.id).map((revision) => [revision.editor, revision.content]),
    ).toEqual([
      ['model', 'Sure thing!'],
      ['human', 'cat Matrix4.py'],
      ['human', 'echo "looking"; cat Matrix4.py'],
    ]);
  });

  it('keeps raw responses as model calls linked both ways to the answers they produced', () => {
    const legacy = new LegacyFixture();
    session(legacy, [
      () => legacy.human('hi'),
      () => legacy.answer('Hello! How can I help?', { model: 'gpt-4-0314', finishReason: 'length' }).message,
    ]);

    importFile(legacy);

    const answer = store.messages.path(onlyConversation().id)[1] as Message;
    expect(answer.modelCallId).not.toBeNull();
    const call = store.modelCalls.get(answer.modelCallId as string);
    expect(call).toMatchObject({
      messageId: answer.id,
      conversationId: answer.conversationId,
      provider: 'openai',
      model: 'gpt-4-0314',
      request: LEGACY_REQUEST,
      finishReason: 'length',
      status: 'completed',
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      createdAt: '2023-04-02T20:00:03.000Z',
    });
    const rawRow = legacy.messages.find((row) => row.type === 0);
    expect(call.response).toBe(rawRow?.content);
  });

  it('adds nothing when the same file is imported twice, and only the new part of a grown file', () => {
    const legacy = new LegacyFixture();
    const path = session(legacy, [() => legacy.human('hi'), () => legacy.answer('hello').message]);
    importFile(legacy);
    const before = rowCounts();
    const conversationBefore = onlyConversation();

    const again = importFile(legacy);

    expect(again).toMatchObject({ conversations: 0, messages: 0, revisions: 0, modelCalls: 0 });
    expect(rowCounts()).toEqual(before);
    expect(onlyConversation()).toEqual(conversationBefore);

    // The same session went on in the original app after the first import.
    legacy.wait(60).edit(path[1] as number, 'hello!');
    session(legacy, [
      () => path[0] as number,
      () => legacy.edit(path[1] as number, 'hello!'),
      () => legacy.terminal('$'),
    ]);
    const grown = importFile(legacy, 'grown.db');

    expect(grown).toMatchObject({ conversations: 0, messages: 1, revisions: 1, modelCalls: 0 });
    expect(described(store.messages.path(onlyConversation().id))).toEqual([
      'human: hi',
      'model: hello!',
      'terminal: $',
    ]);
  });

  it('leaves a conversation the person deleted after an earlier import deleted', () => {
    const legacy = new LegacyFixture();
    session(legacy, [() => legacy.human('hi')]);
    importFile(legacy);
    store.conversations.delete(onlyConversation().id);
    const before = rowCounts();

    const again = importFile(legacy);

    expect(again).toMatchObject({ conversations: 0, messages: 0, skippedConversations: 1 });
    expect(rowCounts()).toEqual(before);
    expect(store.conversations.list()).toEqual([]);
  });

  it.each([
    ['a missing file', (path: string) => path, 'not-found'],
    [
      'a text file',
      (path: string) => {
        writeFileSync(path, 'hello, not a database');
        return path;
      },
      'not-sqlite',
    ],
    [
      'a SQLite database of something else',
      (path: string) => {
        const db = openSqlite(path);
        db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT)');
        db.close();
        return path;
      },
      'not-legacy',
    ],
  ])('refuses %s with a clear error and writes nothing', (_what, make, reason) => {
    const legacy = new LegacyFixture();
    session(legacy, [() => legacy.human('already here')]);
    importFile(legacy);
    const before = rowCounts();

    const path = make(join(dir, 'not-legacy.db'));
    let error: unknown;
    try {
      importLegacyDatabase({ store, path });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(InvalidLegacyDatabaseError);
    expect(error).toMatchObject({ reason, code: 'invalid_legacy_database' });
    expect((error as Error).message).toContain(path);
    expect(rowCounts()).toEqual(before);
  });

  it('refuses a file whose data is damaged, naming the row, and writes nothing', () => {
    const legacy = new LegacyFixture();
    session(legacy, [() => legacy.human('hi'), () => legacy.terminal('$ ls')]);
    const path = legacy.write(join(dir, 'damaged.db'));
    const db = openSqlite(path);
    db.prepare("UPDATE messages SET content = '{broken' WHERE id = 2").run();
    db.close();
    const before = rowCounts();

    expect(() => importLegacyDatabase({ store, path })).toThrow(/legacy message 2 cannot be imported/);
    expect(rowCounts()).toEqual(before);
  });
});

describe('importing the real demo.db', () => {
  const available = requirement('the shared legacy fixture demo.db', hasSharedFixture('legacy', 'demo.db'));

  it.skipIf(!available)('brings in both sessions, every edit as a revision and every response linked', () => {
    const result = importLegacyDatabase({ store, path: sharedFixture('legacy', 'demo.db') });

    // Counted by hand from the file: 91 rows = 19 raw responses + 19 edits + 53 messages; snapshot 1-2 are a
    // short first session, 3-55 the main one, which branches twice (4/5 and after the terminal output 11/14).
    expect(result).toMatchObject({
      conversations: 2,
      messages: 53,
      revisions: 19,
      modelCalls: 19,
      unlinkedModelCalls: 0,
      timeZone: { source: 'responses', offsetMinutes: -240 },
    });
    const main = store.conversations.list().find((summary) => summary.messageCount === 51);
    expect(main?.title).toBe('Write me a linear algebra framework in python, include…');
    const conversation = store.conversations.get(main?.id as string);
    expect(conversation.createdAt).toBe('2023-04-02T20:08:02.000Z');
    expect(conversation.updatedAt).toBe('2023-04-02T21:20:46.000Z');

    const path = store.messages.path(conversation.id);
    expect(path).toHaveLength(48);
    expect(path[0]?.revision).toBe(2);
    expect(path[0]?.content).toMatch(/Note that your context is limited/);
    expect(path[1]?.siblingIds).toHaveLength(2);
    expect(path.at(-1)?.content).toMatch(
      /^@nuc:~\/Projects\/MyOpenAI\$ echo "And here's a method to calculate the inverse/,
    );

    // Legacy message 42, the model's answer, edited twice by the person (43, then 44).
    const edited = path[18] as Message;
    expect(
      store.messages.revisions(edited.id).map((revision) => [revision.editor, revision.content.slice(0, 40)]),
    ).toEqual([
      ['model', "Sure thing! Here's the completed `__init"],
      ['human', 'cat Matrix4.py'],
      ['human', 'echo "Sure thing! Let me see what I have'],
    ]);
    expect(store.modelCalls.get(edited.modelCallId as string).response).toContain(
      'chatcmpl-70ydXhbgYbgOCa2NyFCODQ4xYU7tK',
    );
    expect(
      path.filter((message) => message.author === 'model').every((message) => message.modelCallId !== null),
    ).toBe(true);

    expect(importLegacyDatabase({ store, path: sharedFixture('legacy', 'demo.db') })).toMatchObject({
      conversations: 0,
      messages: 0,
      revisions: 0,
      modelCalls: 0,
    });
  });
});

describe('mp import legacy', () => {
  const mp = (...args: string[]) =>
    spawnSync(process.execPath, [join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, MP_DATA_DIR: '' },
    });

  it('ends with one summary line, and says so when there is nothing new', () => {
    const legacy = new LegacyFixture();
    session(legacy, [() => legacy.human('hi'), () => legacy.answer('hello').message]);
    const path = legacy.write(join(dir, 'old-app.db'));
    const dataDir = join(dir, 'cli-data');

    const first = mp('import', 'legacy', path, '--data-dir', dataDir);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(
      'Imported 1 conversation, 2 messages (0 edits as revisions), 1 model call from old-app.db\n',
    );

    const second = mp('import', 'legacy', path, '--data-dir', dataDir);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe('Nothing new to import from old-app.db (already imported)\n');
  });

  it('refuses a file that is not a legacy database without creating the data dir', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'not a database');
    const dataDir = join(dir, 'never-created');

    const run = mp('import', 'legacy', path, '--data-dir', dataDir);

    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `mp: ${path} is not a SQLite database, so not one written by the original ModelProgrammer\n`,
    );
    expect(existsSync(dataDir)).toBe(false);
  });
});
