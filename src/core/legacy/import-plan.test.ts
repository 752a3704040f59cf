import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LegacyFixture } from '../../../test/support/legacy-fixture.ts';
import { type LegacyImportPlan, type PlannedConversation, planLegacyImport } from './import-plan.ts';
import { InvalidLegacyDatabaseError } from './invalid-legacy-database-error.ts';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

function plan(fixture: LegacyFixture, fallbackOffsetMinutes = 0): LegacyImportPlan {
  return planLegacyImport({
    legacy: fixture.database(),
    digest,
    fallbackOffsetAt: () => fallbackOffsetMinutes,
  });
}

/** The current path as `author: text` lines, for readable assertions. */
function currentPath(conversation: PlannedConversation): string[] {
  const byKey = new Map(conversation.messages.map((message) => [message.key, message]));
  const lines: string[] = [];
  for (let key: string | null = conversation.currentLeafKey; key !== null; ) {
    const message = byKey.get(key);
    if (!message) throw new Error(`no message ${key}`);
    lines.unshift(`${message.author}: ${message.revisions.at(-1)?.content}`);
    key = message.parentKey;
  }
  return lines;
}

describe('planLegacyImport', () => {
  it('turns a chain of growing snapshots into one conversation', () => {
    const legacy = new LegacyFixture();
    const system = legacy.typed('system', 'You are an AI programmer.');
    legacy.snapshot([system]);
    const ask = legacy.human('List the files');
    legacy.snapshot([system, ask]);
    const answer = legacy.answer('ls');
    legacy.snapshot([system, ask, answer.message]);
    const output = legacy.terminal('a.txt');
    legacy.snapshot([system, ask, answer.message, output]);

    const { conversations } = plan(legacy);
    expect(conversations).toHaveLength(1);
    const [conversation] = conversations as [PlannedConversation];
    expect(currentPath(conversation)).toEqual([
      'human: You are an AI programmer.',
      'human: List the files',
      'model: ls',
      'terminal: a.txt',
    ]);
    expect(conversation.messages.map((message) => [message.role, message.revisions[0]?.editor])).toEqual([
      ['system', 'human'],
      ['user', 'human'],
      ['assistant', 'model'],
      ['user', 'terminal'],
    ]);
    expect(conversation.title).toBe('List the files');
  });

  it('branches where snapshots diverge; the latest snapshot is the current path', () => {
    const legacy = new LegacyFixture();
    const system = legacy.typed('system', 'sys');
    const first = legacy.typed('user', 'first try');
    legacy.snapshot([system, first]);
    const second = legacy.human('second try');
    legacy.snapshot([system, second]);

    const [conversation] = plan(legacy).conversations as [PlannedConversation];
    const [root, ...children] = conversation.messages;
    expect(children.map((message) => message.parentKey)).toEqual([root?.key, root?.key]);
    expect(currentPath(conversation)).toEqual(['human: sys', 'human: second try']);
  });

  it('makes an edit chain one message whose first revision is what the model wrote', () => {
    const legacy = new LegacyFixture();
    const ask = legacy.human('finish the init');
    const answer = legacy.answer('Sure thing! Here is the init');
    legacy.snapshot([ask, answer.message]);
    legacy.wait(60);
    const firstEdit = legacy.edit(answer.message, 'cat Matrix4.py');
    legacy.wait(90);
    const secondEdit = legacy.edit(firstEdit, 'echo "let me look"; cat Matrix4.py');
    const output = legacy.terminal('class Matrix4: ...');
    legacy.snapshot([ask, secondEdit, output]);

    const [conversation] = plan(legacy).conversations as [PlannedConversation];
    expect(conversation.messages).toHaveLength(3);
    const edited = conversation.messages[1];
    expect(edited?.author).toBe('model');
    expect(edited?.revisions.map((revision) => [revision.editor, revision.content])).toEqual([
      ['model', 'Sure thing! Here is the init'],
      ['human', 'cat Matrix4.py'],
      ['human', 'echo "let me look"; cat Matrix4.py'],
    ]);
    expect(edited?.revisions.map((revision) => revision.createdAt)).toEqual([
      '2023-04-02T20:00:02.000Z',
      '2023-04-02T20:01:04.000Z',
      '2023-04-02T20:02:35.000Z',
    ]);
    expect(edited?.modelCall?.model).toBe('gpt-3.5-turbo-0301');
  });

  it('treats an edited first message as the same position, not a new conversation', () => {
    const legacy = new LegacyFixture();
    const system = legacy.typed('system', 'Be brief.');
    const ask = legacy.human('hi');
    legacy.snapshot([system, ask]);
    const betterSystem = legacy.edit(system, 'Be brief. Use the terminal.');
    legacy.snapshot([betterSystem, ask]);

    const { conversations } = plan(legacy);
    expect(conversations).toHaveLength(1);
    expect(conversations[0]?.messages).toHaveLength(2);
    expect(conversations[0]?.messages[0]?.revisions.map((revision) => revision.content)).toEqual([
      'Be brief.',
      'Be brief. Use the terminal.',
    ]);
  });

  it('maps the original roles and names to roles and authors', () => {
    const legacy = new LegacyFixture();
    const ids = [
      legacy.typed('system', 'sys'),
      legacy.human('from the person'),
      legacy.terminal('$ ls'),
      legacy.typed('user', 'plain user'),
      legacy.typed('assistant', 'written by the person as the assistant'),
      legacy.typed('Reviewer', 'a custom role'),
    ];
    legacy.snapshot(ids);
    const [conversation] = plan(legacy).conversations as [PlannedConversation];
    expect(
      conversation.messages.map((message) => [message.role, message.author, message.revisions[0]?.editor]),
    ).toEqual([
      ['system', 'human', 'human'],
      ['user', 'human', 'human'],
      ['user', 'terminal', 'terminal'],
      ['user', 'human', 'human'],
      ['assistant', 'human', 'human'],
      ['user', 'Reviewer', 'human'],
    ]);
  });

  it('links each raw response to the answer it produced, by text and time', () => {
    const legacy = new LegacyFixture();
    // The original saved a snapshot after every message.
    const path: number[] = [];
    const add = (id: number) => {
      path.push(id);
      legacy.snapshot(path);
    };
    add(legacy.human('go on'));
    const first = legacy.answer('Anything else?');
    add(first.message);
    add(legacy.terminal('ok'));
    legacy.wait(600);
    add(legacy.human('go on, please'));
    // Same text again: the original reused the first answer's row (and its time) for the second answer.
    const second = legacy.answer('Anything else?', { finishReason: 'length' });
    expect(second.message).toBe(first.message);
    add(second.message);

    const [conversation] = plan(legacy).conversations as [PlannedConversation];
    const answers = conversation.messages.filter((message) => message.role === 'assistant');
    expect(answers.map((message) => message.modelCall?.finishReason)).toEqual(['stop', 'length']);
    expect(answers.map((message) => message.author)).toEqual(['model', 'model']);
    expect(conversation.unlinkedModelCalls).toEqual([]);
    const raw = JSON.parse(answers[1]?.modelCall?.response ?? '{}') as { choices: unknown[] };
    expect(raw.choices).toHaveLength(1);
  });

  it('keeps a raw response that produced no message with the conversation closest in time', () => {
    const legacy = new LegacyFixture();
    const ask = legacy.human('hello');
    legacy.snapshot([ask]);
    legacy.answer('an answer nobody kept'); // formatted row never reached a snapshot
    legacy.wait(3600);
    const other = legacy.human('a later session');
    legacy.snapshot([other]);

    const result = plan(legacy);
    expect(result.conversations.map((conversation) => conversation.unlinkedModelCalls.length)).toEqual([
      1, 0,
    ]);
    expect(result.droppedResponses).toBe(0);
  });

  it('places wall-clock times in the zone the responses reveal, else in the fallback zone', () => {
    const withResponses = new LegacyFixture({ utcOffsetMinutes: 120 });
    const ask = withResponses.human('hi');
    withResponses.snapshot([ask, withResponses.answer('hello').message]);
    const planned = plan(withResponses, -300);
    expect(planned.timeZone).toEqual({ source: 'responses', offsetMinutes: 120 });
    expect(planned.conversations[0]?.messages[0]?.createdAt).toBe('2023-04-02T14:00:01.000Z');

    const without = new LegacyFixture();
    without.snapshot([without.human('hi')]);
    const fallback = plan(without, -300);
    expect(fallback.timeZone).toEqual({ source: 'this-machine' });
    expect(fallback.conversations[0]?.messages[0]?.createdAt).toBe('2023-04-02T21:00:01.000Z');
  });

  it('takes the latest description and startup script any snapshot of the session had', () => {
    const legacy = new LegacyFixture();
    const ask = legacy.human('build a parser');
    legacy.snapshot([ask], { description: 'Parser work\nsecond line', startupScript: 'cd ~/parser' });
    legacy.snapshot([ask, legacy.terminal('ok')]);
    const [conversation] = plan(legacy).conversations as [PlannedConversation];
    expect(conversation.description).toBe('Parser work\nsecond line');
    expect(conversation.startupScript).toBe('cd ~/parser');
    expect(conversation.title).toBe('Parser work');
  });

  it('builds keys from content hashes, so the same data planned from another file gets the same keys', () => {
    const build = (withUnrelatedFirst: boolean) => {
      // The same clock readings in both files, so the raw responses are byte for byte the same.
      const legacy = new LegacyFixture({
        start: withUnrelatedFirst ? '2023-04-02T15:59:58' : '2023-04-02T16:00:00',
      });
      if (withUnrelatedFirst) legacy.snapshot([legacy.human('unrelated')]);
      const ask = legacy.human('hi');
      const answer = legacy.answer('hello');
      legacy.snapshot([ask, legacy.edit(answer.message, 'hello!')]);
      return plan(legacy).conversations.at(-1) as PlannedConversation;
    };
    const keys = (conversation: PlannedConversation) => [
      conversation.key,
      ...conversation.messages.flatMap((message) => [
        message.key,
        ...message.revisions.map((revision) => revision.key),
        message.modelCall?.key,
      ]),
    ];
    expect(keys(build(true))).toEqual(keys(build(false)));
    expect(new Set(keys(build(false))).size).toBe(keys(build(false)).length);
  });

  it('gives each position of text typed twice only its own edits', () => {
    const legacy = new LegacyFixture();
    const path: number[] = [];
    const add = (id: number) => {
      path.push(id);
      legacy.snapshot(path);
    };
    add(legacy.human('continue'));
    add(legacy.terminal('one'));
    add(legacy.human('continue')); // the original reused the first row
    expect(path[2]).toBe(path[0]);
    const edited = legacy.edit(path[2] as number, 'continue, and commit');
    path[2] = edited;
    legacy.snapshot(path);

    const [conversation] = plan(legacy).conversations as [PlannedConversation];
    expect(
      conversation.messages.map((message) => message.revisions.map((revision) => revision.content)),
    ).toEqual([['continue'], ['one'], ['continue', 'continue, and commit']]);
  });

  it('keeps an edit saved after the last snapshot, and text edited back to an earlier version', () => {
    const legacy = new LegacyFixture();
    const ask = legacy.human('hi');
    const first = legacy.typed('assistant', 'draft one');
    legacy.snapshot([ask, first]);
    const second = legacy.edit(first, 'draft two');
    legacy.snapshot([ask, second]);
    // Edited back to the first text: the original found that row by its hash and showed it again.
    legacy.wait(30).snapshot([ask, first, legacy.terminal('$')]);
    legacy.edit(first, 'draft three, never in a snapshot');

    const [conversation] = plan(legacy).conversations as [PlannedConversation];
    expect(
      conversation.messages[1]?.revisions.map((revision) => [revision.editor, revision.content]),
    ).toEqual([
      ['human', 'draft one'],
      ['human', 'draft two'],
      ['human', 'draft one'],
      ['human', 'draft three, never in a snapshot'],
    ]);
  });

  it('takes a raw response listed in a snapshot (older versions of the original) as the answer itself', () => {
    const legacy = new LegacyFixture();
    const ask = legacy.human('hi');
    const answer = legacy.answer('hello');
    legacy.snapshot([ask, answer.raw]);
    const [conversation] = plan(legacy).conversations as [PlannedConversation];
    expect(conversation.messages[1]).toMatchObject({ role: 'assistant', author: 'model' });
    expect(conversation.messages[1]?.revisions[0]).toMatchObject({ content: 'hello', editor: 'model' });
    expect(conversation.messages[1]?.modelCall?.key).toMatch(/^model-call\//);
  });

  it('refuses a snapshot that lists a message the file does not have', () => {
    const legacy = new LegacyFixture();
    legacy.snapshot([legacy.human('hi')]);
    const database = legacy.database();
    database.snapshots[0]?.messageIds.push(99);
    expect(() => planLegacyImport({ legacy: database, digest, fallbackOffsetAt: () => 0 })).toThrow(
      /conversation 1 lists message 99/,
    );
  });

  it('refuses content that is not the original JSON, naming the row', () => {
    const legacy = new LegacyFixture();
    legacy.snapshot([legacy.human('hi')]);
    const database = legacy.database();
    if (database.messages[0]) database.messages[0].content = 'not json';
    expect(() => planLegacyImport({ legacy: database, digest, fallbackOffsetAt: () => 0 })).toThrow(
      InvalidLegacyDatabaseError,
    );
  });
});
