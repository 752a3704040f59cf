import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import { ConflictError, InvalidRequestError } from '../core/errors.ts';
import { actingAs } from './acting-account.ts';
import { COPIED_TABLES } from './copy-store.ts';
import { dumpLines, importDump } from './dump.ts';
import type { Store } from './store.ts';

async function dump(store: Store): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of dumpLines(store)) lines.push(line);
  return lines;
}

async function* from(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

/** A bit of everything a dump must carry: an account, a tree with revisions, a call, a command, labels. */
async function work(store: Store) {
  const account = await store.accounts.add({
    username: 'ada',
    role: 'member',
    passwordHash: 'scrypt$1$2$3$s$h',
  });
  return actingAs(account.id, async () => {
    const conversation = await store.conversations.create({ title: 'Fix the build', visibility: 'private' });
    const question = await store.messages.append(conversation.id, {
      role: 'user',
      author: 'human',
      content: 'Why does `npm test` fail?',
    });
    const call = await store.modelCalls.create({
      conversationId: conversation.id,
      provider: 'openai',
      model: 'gpt-test',
      request: '{"model":"gpt-test","messages":[{"role":"user","content":"Why?"}]}',
    });
    const answer = await store.messages.append(conversation.id, {
      role: 'assistant',
      author: 'model',
      content: 'Run it:',
      editor: 'model',
      modelCallId: call.id,
      toolCalls: [{ id: 'call_1', name: 'run_command', arguments: '{"command":"npm test"}' }],
    });
    await store.modelCalls.linkMessage(call.id, answer.id);
    await store.messages.revise(answer.id, 'Run the tests:', 'human');
    const proposal = await store.proposals.create({
      conversationId: conversation.id,
      messageId: answer.id,
      position: 0,
      toolCallId: 'call_1',
      command: 'npm test',
      timeoutSeconds: 60,
    });
    const execution = await store.executions.start({
      conversationId: conversation.id,
      proposalId: proposal.id,
      commandProposed: 'npm test',
      commandRun: 'npm test -- --run',
      approvedBy: 'human',
      sandbox: 'bwrap',
      cwd: null,
    });
    await store.executions.finish(execution.id, {
      status: 'completed',
      exitCode: 1,
      output: 'FAIL  one.test.ts\n',
      outputTruncated: false,
      outputBytes: 18,
      durationMs: 40,
      cwd: '/w',
      limitHit: null,
    });
    await store.testRuns.create({
      conversationId: conversation.id,
      executionId: execution.id,
      status: 'failed',
      runner: 'vitest',
      passed: 3,
      failed: 1,
      skipped: 0,
    });
    await store.labels.rate({ kind: 'message', id: answer.id }, { value: 'bad', reason: 'vague' });
    await store.labels.rate({ kind: 'message', id: answer.id }, { value: 'good' });
    await store.prompts.create({ name: 'Terse', content: 'Answer in one line.' });
    return { conversation, question, answer };
  });
}

function countsOf(result: Awaited<ReturnType<typeof importDump>>, kind: 'added' | 'updated' | 'unchanged') {
  return Object.fromEntries(COPIED_TABLES.map((table) => [table, result[table][kind]]));
}

describeEachEngine('dump', (engine) => {
  describe('dump → import dump → dump', () => {
    it('gives the same lines, byte for byte, with every table of the store in it', async () => {
      const source = await engine.openStore();
      await work(source);
      const first = await dump(source);
      expect(JSON.parse(first[0]!)).toEqual({ format: 'mp-dump', schemaVersion: expect.any(Number) });
      const tables = new Set(first.slice(1).map((line) => JSON.parse(line).table));
      expect([...tables]).toEqual(
        COPIED_TABLES.filter(
          (table) => table !== 'workspaces' && table !== 'import_keys' && table !== 'checkpoints',
        ),
      );

      const target = await engine.openStore();
      const result = await importDump({ to: target, lines: from(first) });
      expect(result.messages.added).toBe(2);
      expect(result.message_revisions.added).toBe(3);
      expect(await dump(target)).toEqual(first);
      expect((await target.search.search('tests')).messages.map((message) => message.id)).toHaveLength(1);
    });

    it('adds nothing the second time', async () => {
      const source = await engine.openStore();
      await work(source);
      const lines = await dump(source);
      const target = await engine.openStore();
      await importDump({ to: target, lines: from(lines) });
      const again = await importDump({ to: target, lines: from(lines) });
      expect(Object.values(countsOf(again, 'added')).every((count) => count === 0)).toBe(true);
      expect(Object.values(countsOf(again, 'updated')).every((count) => count === 0)).toBe(true);
      expect(await dump(target)).toEqual(lines);
    });
  });

  describe('two overlapping dumps', () => {
    it('merge without duplicates, in either order, the newer state of a changed row winning', async () => {
      const source = await engine.openStore();
      const { conversation, answer } = await work(source);
      const earlier = await dump(source);
      await source.messages.revise(answer.id, 'Run the tests, then read the first failure.', 'human');
      await source.messages.append(conversation.id, { role: 'user', author: 'human', content: 'Done.' });
      await source.labels.outcome(conversation.id, 'solved');
      await source.conversations.update(conversation.id, { title: 'Fix the build (done)' });
      const later = await dump(source);
      expect(later.length).toBeGreaterThan(earlier.length);

      const newerFirst = await engine.openStore();
      await importDump({ to: newerFirst, lines: from(later) });
      const older = await importDump({ to: newerFirst, lines: from(earlier) });
      expect(Object.values(countsOf(older, 'added')).every((count) => count === 0)).toBe(true);
      expect(Object.values(countsOf(older, 'updated')).every((count) => count === 0)).toBe(true);
      expect(await dump(newerFirst)).toEqual(later);

      const olderFirst = await engine.openStore();
      await importDump({ to: olderFirst, lines: from(earlier) });
      await importDump({ to: olderFirst, lines: from(later) });
      expect(await dump(olderFirst)).toEqual(later);
    });

    it('from two people hold both people’s work', async () => {
      const first = await engine.openStore();
      const second = await engine.openStore();
      await first.conversations.create({ title: 'one' });
      await second.conversations.create({ title: 'two' });
      const target = await engine.openStore();
      await importDump({ to: target, lines: from(await dump(first)) });
      await importDump({ to: target, lines: from(await dump(second)) });
      expect((await target.conversations.list()).map((conversation) => conversation.title).sort()).toEqual([
        'one',
        'two',
      ]);
    });
  });

  describe('an account whose name is taken here under another id', () => {
    it('is refused by name, and nothing is imported', async () => {
      const theirs = await engine.openStore();
      const ours = await engine.openStore();
      await theirs.accounts.add({ username: 'alice', role: 'member', passwordHash: 'scrypt$1$1$1$a$b' });
      await theirs.conversations.create({ title: 'their work' });
      await ours.accounts.add({ username: 'alice', role: 'admin', passwordHash: 'scrypt$1$1$1$c$d' });
      const before = await dump(ours);
      const error = await importDump({ to: ours, lines: from(await dump(theirs)) }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(/the account "alice" is .* in what is read and .* here/);
      expect(await dump(ours)).toEqual(before);
    });
  });

  describe('a file that is not a dump this mp can read', () => {
    const header = '{"format":"mp-dump","schemaVersion":1}';
    const cases: [string, string[], RegExp][] = [
      ['empty', [], /no header line/],
      ['another JSON lines file', ['{"messages":[]}'], /line 1: not an mp dump/],
      ['not JSON', [header, '{"table":'], /line 2: not JSON/],
      [
        'from a newer schema',
        ['{"format":"mp-dump","schemaVersion":999}'],
        /newer than this mp's .*upgrade mp/,
      ],
      [
        'an unknown table',
        [header, '{"table":"account_sessions","row":{}}'],
        /line 2: "account_sessions" is not a table/,
      ],
      [
        'an unknown column',
        [header, '{"table":"prompts","row":{"id":"p","nope":1}}'],
        /line 2: prompts has no column "nope"/,
      ],
      [
        'tables out of order',
        [
          header,
          '{"table":"prompts","row":{"id":"p","name":"n","content":"c","account_id":null,"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z","deleted_at":null}}',
          '{"table":"accounts","row":{"id":"a"}}',
        ],
        /line 3: rows of accounts after those of later tables/,
      ],
    ];
    for (const [name, lines, message] of cases) {
      it(`is refused with the line that shows it, writing nothing: ${name}`, async () => {
        const target = await engine.openStore();
        const error = await importDump({ to: target, lines: from(lines) }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as Error).message).toMatch(message);
        expect(await dump(target)).toHaveLength(1);
      });
    }
  });
});
