/**
 * Golden files for every training format (issue 9, "Done when"), built from a session driven through the real
 * agent path: a scripted OpenAI-compatible model on 127.0.0.1, a real bwrap sandbox, the API as the UI calls
 * it. The session holds each source of examples: a failing test run, a proposed edit of the test file the
 * person rejects, a command the person edits before it runs, a passing run (a test-fix pair), a model answer
 * the person corrects, a regenerated answer they did not keep (rated bad), and a secret in a message. The
 * records are read by the store's row source (src/store/dataset-source.ts), as `mp export` reads them.
 *
 * Ids that differ per run (messages, proposals, executions) are replaced by their order of appearance, and the
 * workspace's temporary path by `/workspace`. `MP_WRITE_GOLDEN=1` rewrites the files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ConversationWithMessagesSchema, MessageSchema } from '../../src/core/api/schemas.ts';
import { ExecutionSchema, ProposalListSchema, ProposalSchema } from '../../src/core/api/terminal-schemas.ts';
import { TRAINING_FORMATS } from '../../src/core/datasets/dataset-format.ts';
import {
  DEFAULT_MAX_TOKENS,
  exportDataset,
  newExportSummary,
} from '../../src/core/datasets/export-dataset.ts';
import { datasetRecords } from '../../src/store/dataset-source.ts';
import {
  namedToolCallStream,
  startOpenAiCompatibleServer,
  textStream,
} from '../providers/support/openai-script.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { expectJson, settle, startTestApp } from '../support/test-app.ts';

const canRun = requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));
const GOLDEN = join(import.meta.dirname, 'golden');
const WRITE = process.env.MP_WRITE_GOLDEN === '1';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A test that prints TAP-like lines and needs nothing but sh and grep in the sandbox. */
const CHECK = "grep -q 'a + b' sum.mjs && echo 'ok 1 - adds' || { echo 'not ok 1 - adds'; exit 1; }\n";
const TEST_COMMAND = 'sh check.sh';
const KEY = 'sk-proj-Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed';

const SCRIPT = [
  () => namedToolCallStream('run_command', { command: TEST_COMMAND }, 'call_test_1'),
  () =>
    namedToolCallStream(
      'edit_file',
      { path: 'check.sh', edits: [{ old_text: "'a + b'", new_text: "'a'" }] },
      'call_edit_test',
    ),
  () => namedToolCallStream('run_command', { command: "sed -i 's/a - b/a+b/' sum.mjs" }, 'call_sed'),
  () => namedToolCallStream('run_command', { command: TEST_COMMAND }, 'call_test_2'),
  () => textStream('The tests pass'),
  () => textStream('Done.'),
];

it.runIf(canRun)(
  'every format, from a session through the real agent path, matches its golden file',
  async () => {
    const workspace = makeTempDir('mp-golden-');
    cleanups.push(() => workspace.remove());
    writeFileSync(join(workspace.path, 'sum.mjs'), 'export function sum(a, b) {\n  return a - b;\n}\n');
    writeFileSync(join(workspace.path, 'check.sh'), CHECK);
    let requests = 0;
    const server = await startOpenAiCompatibleServer(() => {
      requests += 1;
      return SCRIPT[Math.min(requests, SCRIPT.length) - 1]!();
    });
    cleanups.push(() => server.close());
    const t = await startTestApp();
    cleanups.push(() => t.close());

    const { id } = await expectJson(
      await t.api('POST', '/api/conversations', { title: 'Fix sum' }),
      ConversationWithMessagesSchema,
      201,
    );
    await t.api('PATCH', `/api/conversations/${id}`, {
      provider: 'openai-compatible',
      baseUrl: `${server.url}/v1`,
      model: 'scripted',
      workspace: workspace.path,
      testCommand: TEST_COMMAND,
      testFilePatterns: ['check.sh'],
      systemPrompt: 'You are a careful programmer.',
    });
    const lastProposal = async () =>
      (
        await expectJson(await t.api('GET', `/api/conversations/${id}/proposals`), ProposalListSchema)
      ).proposals.at(-1)!;
    const run = async (body: Record<string, unknown> = {}) => {
      const proposal = await lastProposal();
      const execution = await expectJson(
        await t.api('POST', `/api/proposals/${proposal.id}/run`, body),
        ExecutionSchema,
      );
      await settle(t.app);
      return execution;
    };

    await expectJson(
      await t.api('POST', `/api/conversations/${id}/messages`, {
        role: 'user',
        content: `Make the tests pass. (CI has OPENAI_API_KEY=${KEY}; do not print it.)`,
        send: true,
      }),
      MessageSchema,
      201,
    );
    await settle(t.app);
    expect(await run()).toMatchObject({ status: 'failed', exitCode: 1 });
    const testEdit = await lastProposal();
    expect(testEdit).toMatchObject({ kind: 'edit_file', testEditWarning: true });
    await expectJson(
      await t.api('POST', `/api/proposals/${testEdit.id}/reject`, { reason: 'fix the code, not the test' }),
      ProposalSchema,
    );
    await settle(t.app);
    expect(await run({ command: "sed -i 's/a - b/a + b/' sum.mjs" })).toMatchObject({ status: 'completed' });
    expect(await run()).toMatchObject({ status: 'completed', exitCode: 0 });

    // The person corrects the model's last answer, regenerates it, and goes back to the corrected one.
    let conversation = await expectJson(
      await t.api('GET', `/api/conversations/${id}`),
      ConversationWithMessagesSchema,
    );
    const answer = conversation.messages.at(-1)!;
    expect(answer.content).toBe('The tests pass');
    await expectJson(
      await t.api('PATCH', `/api/messages/${answer.id}`, { content: 'The tests pass: sum now adds.' }),
      MessageSchema,
    );
    await t.api('POST', `/api/conversations/${id}/generate`, { regenerate: answer.id });
    await settle(t.app);
    conversation = await expectJson(
      await t.api('GET', `/api/conversations/${id}`),
      ConversationWithMessagesSchema,
    );
    const regenerated = conversation.messages.at(-1)!;
    expect(regenerated.content).toBe('Done.');
    expect(
      (await t.api('PUT', `/api/messages/${regenerated.id}/rating`, { value: 'bad', reason: 'says nothing' }))
        .status,
    ).toBeLessThan(300);
    await t.api('POST', `/api/conversations/${id}/select`, { messageId: answer.id });

    const ids = new Map<string, string>();
    const normalize = (text: string) =>
      text.replaceAll(workspace.path, '/workspace').replace(/\b[0-9A-Za-z_-]{20,30}\b/g, (token) => {
        if (!knownIds.has(token)) return token;
        if (!ids.has(token)) ids.set(token, `<id ${ids.size + 1}>`);
        return ids.get(token)!;
      });
    const knownIds = new Set<string>();
    const summaries: Record<string, unknown> = {};
    for (const format of TRAINING_FORMATS) {
      const summary = newExportSummary();
      const lines: string[] = [];
      const options = { includeUnchecked: false, maxTokens: DEFAULT_MAX_TOKENS[format] };
      const records = datasetRecords(t.app.store.database, {});
      async function* remember() {
        for await (const record of records) {
          for (const message of record.messages) knownIds.add(message.id);
          for (const proposal of record.proposals) knownIds.add(proposal.id);
          for (const execution of record.executions) knownIds.add(execution.id);
          knownIds.add(record.conversation.id);
          yield record;
        }
      }
      for await (const event of exportDataset(format, remember(), options, summary)) {
        if (event.kind === 'line') lines.push(normalize(event.text));
      }
      const { invalid, ...counts } = summary;
      summaries[format] = {
        ...counts,
        invalid: invalid.map((entry) => ({ ...entry, conversationId: '<conversation>' })),
      };
      const file = join(GOLDEN, `${format}.jsonl`);
      const text = lines.map((line) => `${line}\n`).join('');
      if (WRITE) writeFileSync(file, text);
      expect(text, `${format}: MP_WRITE_GOLDEN=1 rewrites ${file}`).toBe(readFileSync(file, 'utf8'));
    }
    const summaryFile = join(GOLDEN, 'summaries.json');
    const summaryText = `${JSON.stringify(summaries, null, 2)}\n`;
    if (WRITE) writeFileSync(summaryFile, summaryText);
    expect(summaryText).toBe(readFileSync(summaryFile, 'utf8'));
    expect(summaryText).not.toContain(KEY);
  },
  60_000,
);
