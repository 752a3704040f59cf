import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importLegacyDatabase, LEGACY_REQUEST } from '../src/agent/legacy-import.ts';
import type { Message } from '../src/core/domain.ts';
import { InvalidLegacyDatabaseError } from '../src/core/legacy/invalid-legacy-database-error.ts';
import { openSqlite } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/store.ts';
import { hasSharedFixture, REPO_ROOT, requirement, sharedFixture } from './support/environment.ts';
import { LegacyFixture } from './support/legacy-fixture.ts';
import { describeEachEngine } from './support/store-engines.ts';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mp-legacy-import-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function importFile(fixture: LegacyFixture, name = 'legacy.db') {
  return importLegacyDatabase({ store, path: fixture.write(join(dir, name)) });
}

async function onlyConversation() {
  const [summary, ...others] = await store.conversations.list();
  expect(others).toEqual([]);
  if (!summary) throw new Error('no conversation was imported');
  return store.conversations.get(summary.id);
}

const described = (messages: Message[]) => messages.map((message) => `${message.author}: ${message.content}`);

async function rowCounts(): Promise<Record<string, number>> {
  // A search first indexes what is queued, so the counts do not depend on when the background batch runs.
  await store.search.search('anything');
  const tables = [
    'conversations',
    'messages',
    'message_revisions',
    'model_calls',
    'import_keys',
    'search_documents',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(
      store.engine.db,
    );
    counts[table] = Number(rows[0]?.n);
  }
  return counts;
}

/** What an import threw, whether it threw at once or rejected. */
async function failureOf(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  return undefined;
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

describeEachEngine('legacy import', (engine) => {
  beforeEach(async () => {
    store = await engine.openStore();
  });

  describe('importLegacyDatabase', () => {
    it('makes a chain of growing snapshots one conversation, with original times, authors and roles', async () => {
      const legacy = new LegacyFixture();
      session(legacy, [
        () => legacy.typed('system', 'You are an AI programmer.'),
        () => legacy.human('List the files'),
        () => legacy.answer('ls').message,
        () => legacy.terminal('a.txt  b.txt'),
      ]);

      const progress: { done: number; total: number }[] = [];
      const result = await importLegacyDatabase({
        store,
        path: legacy.write(join(dir, 'legacy.db')),
        onProgress: (step) => progress.push(step),
      });

      expect(result).toMatchObject({ conversations: 1, messages: 4, revisions: 0, modelCalls: 1 });
      expect(progress.map((step) => step.done)).toEqual([0, 1, 2, 3, 4]);
      expect(progress.every((step) => step.total === 4)).toBe(true);
      const conversation = await onlyConversation();
      expect(conversation.title).toBe('List the files');
      expect(conversation.createdAt).toBe('2023-04-02T20:00:01.000Z');
      const path = await store.messages.path(conversation.id);
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

    it('turns diverging snapshots into branches, the latest snapshot being the current path', async () => {
      const legacy = new LegacyFixture();
      const [system] = session(legacy, [
        () => legacy.typed('system', 'sys'),
        () => legacy.human('first try'),
        () => legacy.answer('first answer').message,
      ]);
      legacy.snapshot([system as number]);
      session(legacy, [() => system as number, () => legacy.human('second try')]);

      await importFile(legacy);

      const conversation = await onlyConversation();
      const path = await store.messages.path(conversation.id);
      expect(described(path)).toEqual(['human: sys', 'human: second try']);
      const [first] = path[1]?.siblingIds ?? [];
      expect(path[1]?.siblingIds).toHaveLength(2);
      expect((await store.messages.get(first as string)).content).toBe('first try');
      await store.messages.selectBranch(conversation.id, first as string);
      expect(described(await store.messages.path(conversation.id))).toEqual([
        'human: sys',
        'human: first try',
        'model: first answer',
      ]);
    });

    it('makes a chain of edits later revisions of one message; revision 1 is what the model wrote', async () => {
      const legacy = new LegacyFixture();
      const [ask, answer] = session(legacy, [
        () => legacy.human('finish it'),
        () => legacy.answer('Sure thing!').message,
      ]);
      const firstEdit = legacy.wait(60).edit(answer as number, 'cat Matrix4.py');
      const secondEdit = legacy.wait(60).edit(firstEdit, 'echo "looking"; cat Matrix4.py');
      legacy.snapshot([ask as number, secondEdit, legacy.terminal('class Matrix4')]);

      const result = await importFile(legacy);

      expect(result).toMatchObject({ messages: 3, revisions: 2 });
      const message = (await store.messages.path((await onlyConversation()).id))[1] as Message;
      expect(message).toMatchObject({
        author: 'model',
        revision: 3,
        content: 'echo "looking"; cat Matrix4.py',
      });
      expect(
        (await store.messages.revisions(message.id)).map((revision) => [revision.editor, revision.content]),
      ).toEqual([
        ['model', 'Sure thing!'],
        ['human', 'cat Matrix4.py'],
        ['human', 'echo "looking"; cat Matrix4.py'],
      ]);
    });

    it('keeps raw responses as model calls linked both ways to the answers they produced', async () => {
      const legacy = new LegacyFixture();
      session(legacy, [
        () => legacy.human('hi'),
        () =>
          legacy.answer('Hello! How can I help?', { model: 'gpt-4-0314', finishReason: 'length' }).message,
      ]);

      await importFile(legacy);

      const answer = (await store.messages.path((await onlyConversation()).id))[1] as Message;
      expect(answer.modelCallId).not.toBeNull();
      const call = await store.modelCalls.get(answer.modelCallId as string);
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

    it('adds nothing when the same file is imported twice, and only the new part of a grown file', async () => {
      const legacy = new LegacyFixture();
      const path = session(legacy, [() => legacy.human('hi'), () => legacy.answer('hello').message]);
      await importFile(legacy);
      const before = await rowCounts();
      const conversationBefore = await onlyConversation();

      const again = await importFile(legacy);

      expect(again).toMatchObject({ conversations: 0, messages: 0, revisions: 0, modelCalls: 0 });
      expect(await rowCounts()).toEqual(before);
      expect(await onlyConversation()).toEqual(conversationBefore);

      // The same session went on in the original app after the first import.
      legacy.wait(60).edit(path[1] as number, 'hello!');
      session(legacy, [
        () => path[0] as number,
        () => legacy.edit(path[1] as number, 'hello!'),
        () => legacy.terminal('$'),
      ]);
      const grown = await importFile(legacy, 'grown.db');

      expect(grown).toMatchObject({ conversations: 0, messages: 1, revisions: 1, modelCalls: 0 });
      expect(described(await store.messages.path((await onlyConversation()).id))).toEqual([
        'human: hi',
        'model: hello!',
        'terminal: $',
      ]);
    });

    it('leaves a conversation the person deleted after an earlier import deleted', async () => {
      const legacy = new LegacyFixture();
      session(legacy, [() => legacy.human('hi')]);
      await importFile(legacy);
      await store.conversations.delete((await onlyConversation()).id);
      const before = await rowCounts();

      const again = await importFile(legacy);

      expect(again).toMatchObject({ conversations: 0, messages: 0, skippedConversations: 1 });
      expect(await rowCounts()).toEqual(before);
      expect(await store.conversations.list()).toEqual([]);
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
    ])('refuses %s with a clear error and writes nothing', async (_what, make, reason) => {
      const legacy = new LegacyFixture();
      session(legacy, [() => legacy.human('already here')]);
      await importFile(legacy);
      const before = await rowCounts();

      const path = make(join(dir, 'not-legacy.db'));
      const error = await failureOf(() => importLegacyDatabase({ store, path }));

      expect(error).toBeInstanceOf(InvalidLegacyDatabaseError);
      expect(error).toMatchObject({ reason, code: 'invalid_legacy_database' });
      expect((error as Error).message).toContain(path);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses a file whose data is damaged, naming the row, and writes nothing', async () => {
      const legacy = new LegacyFixture();
      session(legacy, [() => legacy.human('hi'), () => legacy.terminal('$ ls')]);
      const path = legacy.write(join(dir, 'damaged.db'));
      const db = openSqlite(path);
      db.prepare("UPDATE messages SET content = '{broken' WHERE id = 2").run();
      db.close();
      const before = await rowCounts();

      expect(await failureOf(() => importLegacyDatabase({ store, path }))).toMatchObject({
        message: expect.stringMatching(/legacy message 2 cannot be imported/),
      });
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('importing the real demo.db', () => {
    const available = requirement('the shared legacy fixture demo.db', hasSharedFixture('legacy', 'demo.db'));

    it.skipIf(!available)(
      'brings in both sessions, every edit as a revision and every response linked',
      async () => {
        const result = await importLegacyDatabase({ store, path: sharedFixture('legacy', 'demo.db') });

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
        const main = (await store.conversations.list()).find((summary) => summary.messageCount === 51);
        expect(main?.title).toBe('Write me a linear algebra framework in python, include…');
        const conversation = await store.conversations.get(main?.id as string);
        expect(conversation.createdAt).toBe('2023-04-02T20:08:02.000Z');
        expect(conversation.updatedAt).toBe('2023-04-02T21:20:46.000Z');

        const path = await store.messages.path(conversation.id);
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
          (await store.messages.revisions(edited.id)).map((revision) => [
            revision.editor,
            revision.content.slice(0, 40),
          ]),
        ).toEqual([
          ['model', "Sure thing! Here's the completed `__init"],
          ['human', 'cat Matrix4.py'],
          ['human', 'echo "Sure thing! Let me see what I have'],
        ]);
        expect((await store.modelCalls.get(edited.modelCallId as string)).response).toContain(
          'chatcmpl-70ydXhbgYbgOCa2NyFCODQ4xYU7tK',
        );
        expect(
          path
            .filter((message) => message.author === 'model')
            .every((message) => message.modelCallId !== null),
        ).toBe(true);

        expect(await importLegacyDatabase({ store, path: sharedFixture('legacy', 'demo.db') })).toMatchObject(
          {
            conversations: 0,
            messages: 0,
            revisions: 0,
            modelCalls: 0,
          },
        );
      },
    );
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
