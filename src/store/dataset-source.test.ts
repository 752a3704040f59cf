import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import type { ExportFilters } from '../core/api/dataset-schemas.ts';
import type { ConversationRecord } from '../core/datasets/conversation-record.ts';
import { actingAs } from './acting-account.ts';
import { countDataset, type DatasetSourceOptions, datasetRecords } from './dataset-source.ts';
import type { Store } from './store.ts';

async function records(
  store: Store,
  filters: ExportFilters = {},
  options: DatasetSourceOptions = {},
): Promise<ConversationRecord[]> {
  const all: ConversationRecord[] = [];
  for await (const record of datasetRecords(store.database, filters, options)) all.push(record);
  return all;
}

function pick<T extends object>(value: T, keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Partial<T>;
}

async function ids(store: Store, filters: ExportFilters, options: DatasetSourceOptions = {}) {
  return (await records(store, filters, options)).map((record) => record.conversation.title);
}

/** A conversation with a few messages: system, user, assistant (model, later edited). */
async function chat(store: Store, title: string, model = 'gpt-test') {
  const conversation = await store.conversations.create({ title });
  await store.messages.append(conversation.id, { role: 'system', author: 'human', content: 'Be brief.' });
  const question = await store.messages.append(conversation.id, {
    role: 'user',
    author: 'human',
    content: 'Hi?',
  });
  const call = await store.modelCalls.create({
    conversationId: conversation.id,
    provider: 'openai',
    model,
    request: JSON.stringify({ model, messages: [] }),
  });
  const answer = await store.messages.append(conversation.id, {
    role: 'assistant',
    author: 'model',
    content: 'Hello.',
    editor: 'model',
    modelCallId: call.id,
  });
  await store.modelCalls.linkMessage(call.id, answer.id);
  return { conversation, question, answer, call };
}

describeEachEngine('dataset source', (engine) => {
  describe('a record', () => {
    it('holds the whole tree with every revision, proposals with what ran, test runs and live labels', async () => {
      const store = await engine.openStore();
      const { conversation, question, answer } = await chat(store, 'Full');
      await store.messages.revise(answer.id, 'Hello there.', 'human');
      const sibling = await store.messages.append(conversation.id, {
        role: 'assistant',
        author: 'model',
        content: 'Hey.',
        parentId: question.id,
      });
      await store.messages.delete([sibling.id]);
      await store.messages.setIncluded(question.id, false);
      // Stored, and not read: a record holds no model calls or checkpoints.
      await store.modelCalls.create({
        conversationId: conversation.id,
        provider: 'openai',
        model: 'gpt-test',
        request: '{"broken": true}',
        status: 'error',
        error: 'quota',
      });
      const proposal = await store.proposals.create({
        conversationId: conversation.id,
        messageId: answer.id,
        position: 0,
        toolCallId: null,
        command: 'npm test',
        timeoutSeconds: null,
      });
      const run = {
        conversationId: conversation.id,
        proposalId: proposal.id,
        approvedBy: 'human',
        sandbox: 'bwrap',
        cwd: null,
      };
      const first = await store.executions.start({
        ...run,
        commandProposed: 'npm test',
        commandRun: 'npm test',
      });
      const end = {
        status: 'completed' as const,
        exitCode: 1,
        output: 'FAIL',
        outputTruncated: false,
        outputBytes: 4,
        durationMs: 5,
        cwd: null,
        limitHit: null,
      };
      await store.executions.finish(first.id, end);
      const second = await store.executions.start({
        ...run,
        commandProposed: 'npm test',
        commandRun: 'npm test -- --run',
      });
      await store.executions.finish(second.id, { ...end, exitCode: 0, output: 'ok' });
      await store.testRuns.create({
        conversationId: conversation.id,
        executionId: first.id,
        status: 'failed',
        runner: 'vitest',
        passed: 0,
        failed: 1,
        skipped: 0,
      });
      await store.checkpoints.create({
        conversationId: conversation.id,
        executionId: second.id,
        kind: 'step',
        workspace: '/w',
        commit: 'a'.repeat(40),
        parentCommit: null,
        restoredCheckpointId: null,
        changedFiles: 1,
        insertions: 2,
        deletions: 0,
        skipped: [],
      });
      await store.labels.rate({ kind: 'message', id: answer.id }, { value: 'bad', reason: 'too short' });
      await store.labels.rate({ kind: 'message', id: answer.id }, { value: 'good' });
      await store.labels.tag({ kind: 'proposal', id: proposal.id }, 'flaky');
      await store.labels.outcome(conversation.id, 'solved');

      const [record, ...rest] = await records(store);
      expect(rest).toEqual([]);
      expect(record!.conversation).toEqual(await store.conversations.get(conversation.id));
      expect(record!.messages.map((message) => [message.content, message.deleted, message.included])).toEqual(
        [
          ['Be brief.', false, true],
          ['Hi?', false, false],
          ['Hello there.', false, true],
          ['Hey.', true, true],
        ],
      );
      const edited = record!.messages[2]!;
      expect(
        edited.revisions.map((revision) => [revision.number, revision.content, revision.editor]),
      ).toEqual([
        [1, 'Hello.', 'model'],
        [2, 'Hello there.', 'human'],
      ]);
      // The fields a record holds (RecordMessage) are the stored message's.
      const stored = await store.messages.get(answer.id);
      const { revisions, ...fields } = edited;
      expect(fields).toEqual(pick(stored, Object.keys(fields) as (keyof typeof stored)[]));
      expect(Object.keys(fields).sort()).toEqual(
        [
          'author',
          'content',
          'deleted',
          'id',
          'included',
          'parentId',
          'role',
          'status',
          'summarizes',
          'toolCallId',
          'toolCalls',
        ].sort(),
      );
      expect(revisions).toEqual(
        (await store.messages.revisions(answer.id)).map(({ number, content, editor }) => ({
          number,
          content,
          editor,
        })),
      );
      // Not read: no builder takes them, and a call's request holds its whole context.
      expect(Object.keys(record!)).not.toContain('modelCalls');
      expect(Object.keys(record!)).not.toContain('checkpoints');
      expect(record!.executions.map((execution) => execution.id)).toEqual([first.id, second.id]);
      expect(record!.proposals).toEqual([
        { ...(await store.proposals.get(proposal.id)), execution: await store.executions.get(second.id) },
      ]);
      expect(record!.testRuns).toEqual(await store.testRuns.forConversation(conversation.id));
      expect(record!.labels).toEqual(await store.labels.forConversation(conversation.id));
      expect(record!.labels.map((label) => [label.name, label.value])).toEqual([
        ['rating', 'good'],
        ['tag', 'flaky'],
        ['outcome', 'solved'],
      ]);
    });
  });

  describe('filters', () => {
    it('take conversations by id, tag, rating, outcome, model, date and visibility, and never tombstoned ones', async () => {
      const store = await engine.openStore();
      const a = await chat(store, 'A', 'gpt-a');
      const b = await chat(store, 'B', 'gpt-b');
      const c = await chat(store, 'C', 'gpt-a');
      const gone = await chat(store, 'Gone', 'gpt-a');
      await store.conversations.delete(gone.conversation.id);
      await store.labels.tag({ kind: 'conversation', id: a.conversation.id }, 'fixed');
      await store.labels.tag({ kind: 'message', id: b.answer.id }, 'fixed');
      await store.labels.tag({ kind: 'message', id: c.answer.id }, 'other');
      await store.labels.untag({ kind: 'message', id: c.answer.id }, 'other');
      await store.labels.rate({ kind: 'message', id: a.answer.id }, { value: 'bad' });
      await store.labels.rate({ kind: 'message', id: a.answer.id }, { value: 'good' });
      await store.labels.rate({ kind: 'message', id: c.answer.id }, { value: 'bad' });
      await store.labels.outcome(b.conversation.id, 'failed');
      await store.labels.outcome(c.conversation.id, 'solved');
      await store.database.db
        .updateTable('conversations')
        .set({ updated_at: '2026-01-01T00:00:00.000Z' })
        .where('id', '=', a.conversation.id)
        .execute();

      expect(await ids(store, {})).toEqual(['A', 'B', 'C']);
      expect(await ids(store, { conversationIds: [c.conversation.id, gone.conversation.id] })).toEqual(['C']);
      expect(await ids(store, { tags: ['fixed'] })).toEqual(['A', 'B']);
      expect(await ids(store, { tags: ['other'] })).toEqual([]);
      expect(await ids(store, { ratings: ['good'] })).toEqual(['A']);
      expect(await ids(store, { ratings: ['bad'] })).toEqual(['C']);
      expect(await ids(store, { outcomes: ['solved', 'failed'] })).toEqual(['B', 'C']);
      expect(await ids(store, { models: ['gpt-a'] })).toEqual(['A', 'C']);
      expect(await ids(store, { since: '2026-06-01' })).toEqual(['B', 'C']);
      expect(await ids(store, { since: '2025-12-31T23:00:00-02:00' })).toEqual(['B', 'C']);
      expect(await ids(store, { tags: ['fixed'], models: ['gpt-a'] })).toEqual(['A']);
      expect(await ids(store, { tags: [], ratings: [], models: [] })).toEqual(['A', 'B', 'C']);
      for (const filters of [
        {},
        { tags: ['fixed'] },
        { models: ['gpt-a'], since: '2026-06-01' },
      ] as ExportFilters[]) {
        const taken = await records(store, filters);
        expect(await countDataset(store.database, filters)).toEqual({
          conversations: taken.length,
          messages: taken.reduce((sum, record) => sum + record.messages.length, 0),
        });
      }
    });

    it('take only what an account may see when asked to', async () => {
      const store = await engine.openStore();
      const alice = await store.accounts.add({ username: 'alice', role: 'member', passwordHash: 'x' });
      const bob = await store.accounts.add({ username: 'bob', role: 'member', passwordHash: 'x' });
      await actingAs(alice.id, () =>
        store.conversations.create({ title: 'alice private', visibility: 'private' }),
      );
      await actingAs(alice.id, () => store.conversations.create({ title: 'alice team', visibility: 'team' }));
      await actingAs(bob.id, () =>
        store.conversations.create({ title: 'bob private', visibility: 'private' }),
      );
      await store.conversations.create({ title: 'no account' });

      expect((await ids(store, {}, { visibleTo: bob.id })).sort()).toEqual([
        'alice team',
        'bob private',
        'no account',
      ]);
      expect((await countDataset(store.database, {}, { visibleTo: bob.id })).conversations).toBe(3);
      expect(await ids(store, {})).toHaveLength(4);
    });
  });

  describe('pages', () => {
    it('yield every conversation once, in id order, however small the page or the message budget', async () => {
      const store = await engine.openStore();
      for (const title of ['1', '2', '3', '4', '5']) await chat(store, title);
      const whole = await records(store);
      expect(whole).toHaveLength(5);
      expect(whole.map((record) => record.conversation.id)).toEqual(
        whole.map((record) => record.conversation.id).sort(),
      );
      expect(await records(store, {}, { pageSize: 2 })).toEqual(whole);
      expect(await records(store, {}, { pageSize: 4, messageBudget: 5 })).toEqual(whole);
      expect(await records(store, {}, { pageSize: 3, messageBudget: 1 })).toEqual(whole);
    });

    it('let other work run between them, unless told that nothing else runs', async () => {
      const store = await engine.openStore();
      for (const title of ['1', '2', '3']) await chat(store, title);
      const turnsDuring = async (options: DatasetSourceOptions) => {
        let turns = 0;
        let reading = true;
        const spin = () => {
          if (!reading) return;
          turns++;
          setImmediate(spin);
        };
        setImmediate(spin);
        await records(store, {}, { pageSize: 1, ...options });
        reading = false;
        return turns;
      };
      expect(await turnsDuring({})).toBeGreaterThanOrEqual(3);
      // On SQLite every query resolves at once: without the turns, nothing else runs until the end.
      if (engine.kind === 'sqlite') expect(await turnsDuring({ shareEventLoop: false })).toBe(0);
    });
  });
});
