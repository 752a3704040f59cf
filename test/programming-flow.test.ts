/**
 * Issue 8 through the API, in a real bwrap sandbox, with a scripted model: the model runs the failing tests
 * (a test run, red, counted), proposes an edit to the test file (the guard's warning), the person rejects it,
 * the model's edit of the code fails to match (the precise reason comes back) and then applies, the tests
 * pass (green), and every step has a checkpoint whose diff and restore work.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ConversationWithMessagesSchema, MessageSchema } from '../src/core/api/schemas.ts';
import { ExecutionSchema, ProposalListSchema, ProposalSchema } from '../src/core/api/terminal-schemas.ts';
import {
  CheckpointDiffSchema,
  CheckpointListSchema,
  CommitMessageDraftSchema,
  CommitWorkResultSchema,
  RestoreResultSchema,
  TestRunListSchema,
  WorkspaceChangesSchema,
  WorkspaceFileSchema,
  WorkspaceTreeSchema,
} from '../src/core/api/workspace-schemas.ts';
import {
  namedToolCallStream,
  startOpenAiCompatibleServer,
  textStream,
} from './providers/support/openai-script.ts';
import type { RecordedRequest } from './providers/support/wire-server.ts';
import { describeEachAppEngine } from './support/app-engines.ts';
import { hasExecutable, requirement } from './support/environment.ts';
import { makeTempDir } from './support/temp-dir.ts';
import { expectJson, settle, type TestApp } from './support/test-app.ts';

const canRun = requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BROKEN = 'export function sum(a, b) {\n  return a - b;\n}\n';
const FIXED = 'export function sum(a, b) {\n  return a + b;\n}\n';
const TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { sum } from './sum.mjs';",
  '',
  "test('adds', () => assert.equal(sum(2, 3), 5));",
  "test('adds zero', () => assert.equal(sum(2, 0), 2));",
  '',
].join('\n');

/** The node:test command, by absolute path: the sandbox's PATH need not hold this Node. */
const TEST_COMMAND = `${process.execPath} --test`;

/** The model's turns, one per request, in order. */
const SCRIPT = [
  () => namedToolCallStream('run_command', { command: TEST_COMMAND }),
  () =>
    namedToolCallStream('edit_file', {
      path: 'sum.test.mjs',
      edits: [{ old_text: 'sum(2, 3), 5', new_text: 'sum(2, 3), -1' }],
    }),
  () =>
    namedToolCallStream('edit_file', {
      path: 'sum.mjs',
      edits: [{ old_text: 'return a - b ;', new_text: 'return a + b;' }],
    }),
  () =>
    namedToolCallStream('edit_file', {
      path: './sum.mjs',
      edits: [{ old_text: 'return a - b;', new_text: 'return a + b;' }],
    }),
  () => namedToolCallStream('run_command', { command: TEST_COMMAND }),
  () => textStream('The tests pass.'),
];

/** A new conversation with `settings` applied; its id. */
async function newConversation(t: TestApp, title: string, settings: Record<string, unknown> = {}) {
  const { id } = await expectJson(
    await t.api('POST', '/api/conversations', { title }),
    ConversationWithMessagesSchema,
    201,
  );
  if (Object.keys(settings).length > 0) await t.api('PATCH', `/api/conversations/${id}`, settings);
  return id;
}

/** A folder holding `files`, removed after the test. */
function workspaceWith(prefix: string, files: Record<string, string>): string {
  const workspace = makeTempDir(prefix);
  cleanups.push(() => workspace.remove());
  for (const [name, content] of Object.entries(files)) writeFileSync(join(workspace.path, name), content);
  return workspace.path;
}

describeEachAppEngine('programming flow', (engine) => {
  async function startApp(): Promise<TestApp> {
    const t = await engine.startApp();
    cleanups.push(() => t.close());
    return t;
  }

  it.runIf(canRun)(
    'records a piped test run by the counts it printed, not one whose counts were cut',
    async () => {
      const workspace = workspaceWith('mp-piped-', { 'sum.mjs': BROKEN, 'sum.test.mjs': TEST });
      const t = await startApp();
      const id = await newConversation(t, 'Piped', { workspace, testCommand: TEST_COMMAND });
      const run = async (command: string) => {
        const started = await expectJson(
          await t.api('POST', `/api/conversations/${id}/run`, { command }),
          ExecutionSchema,
        );
        await settle(t.app);
        return expectJson(await t.api('GET', `/api/executions/${started.id}`), ExecutionSchema);
      };
      // tail's exit code (0) would call it a pass; the counts it shows say one test failed.
      const piped = await run(`${TEST_COMMAND} 2>&1 | tail -n 40`);
      expect(piped.exitCode).toBe(0);
      // head keeps the first line only: no counts, so no test run (its status would be a guess).
      await run(`${TEST_COMMAND} 2>&1 | head -n 1`);
      const { testRuns } = await expectJson(
        await t.api('GET', `/api/conversations/${id}/test-runs`),
        TestRunListSchema,
      );
      expect(testRuns).toMatchObject([
        { executionId: piped.id, status: 'failed', runner: 'node:test', passed: 1, failed: 1 },
      ]);
    },
  );

  it.runIf(canRun)(
    'records test runs, warns on a test edit, applies an edit, and diffs and restores each step',
    async () => {
      const workspace = workspaceWith('mp-programming-', { 'sum.mjs': BROKEN, 'sum.test.mjs': TEST });
      const requests: RecordedRequest[] = [];
      const server = await startOpenAiCompatibleServer((request) => {
        requests.push(request);
        return SCRIPT[Math.min(requests.length, SCRIPT.length) - 1]!();
      });
      cleanups.push(() => server.close());
      const t = await startApp();
      const id = await newConversation(t, 'Fix sum', {
        provider: 'openai-compatible',
        baseUrl: `${server.url}/v1`,
        model: 'scripted',
        workspace,
        testCommand: TEST_COMMAND,
      });
      const proposals = async () =>
        (await expectJson(await t.api('GET', `/api/conversations/${id}/proposals`), ProposalListSchema))
          .proposals;
      const runLast = async (body: Record<string, unknown> = {}) => {
        const last = (await proposals()).at(-1)!;
        const execution = await expectJson(
          await t.api('POST', `/api/proposals/${last.id}/run`, body),
          ExecutionSchema,
        );
        await settle(t.app);
        return { proposal: last, execution };
      };

      await expectJson(
        await t.api('POST', `/api/conversations/${id}/messages`, {
          role: 'user',
          content: 'Make the tests pass.',
          send: true,
        }),
        MessageSchema,
        201,
      );
      await settle(t.app);

      // 1. The failing run is a test run, red, with node:test's counts.
      const firstRun = await runLast();
      expect(firstRun.execution).toMatchObject({ status: 'failed', exitCode: 1 });
      const red = await expectJson(
        await t.api('GET', `/api/conversations/${id}/test-runs`),
        TestRunListSchema,
      );
      expect(red.testRuns).toMatchObject([
        { executionId: firstRun.execution.id, status: 'failed', runner: 'node:test', passed: 1, failed: 1 },
      ]);

      // 2. An edit of the test file while the last run failed carries the warning; the person rejects it.
      const testEdit = (await proposals()).at(-1)!;
      expect(testEdit).toMatchObject({
        kind: 'edit_file',
        status: 'proposed',
        testEditWarning: true,
        action: { tool: 'edit_file', path: 'sum.test.mjs' },
      });
      await expectJson(
        await t.api('POST', `/api/proposals/${testEdit.id}/reject`, { reason: 'fix the code, not the test' }),
        ProposalSchema,
      );
      await settle(t.app);
      expect(readFileSync(join(workspace, 'sum.test.mjs'), 'utf8')).toBe(TEST);

      // 3. An edit whose old text does not match fails whole, telling the model why and where to look.
      const missed = await runLast();
      expect(missed.proposal).toMatchObject({ kind: 'edit_file', testEditWarning: false });
      expect(missed.execution).toMatchObject({ status: 'failed', exitCode: 1 });
      expect(missed.execution.output).toMatch(/not found|did not match/i);
      expect(missed.execution.output).toContain('return a - b;');
      expect(readFileSync(join(workspace, 'sum.mjs'), 'utf8')).toBe(BROKEN);

      // 4. The corrected edit applies; its step's checkpoint diff shows the change.
      const applied = await runLast();
      expect(applied.execution).toMatchObject({
        status: 'completed',
        exitCode: 0,
        actionRun: { tool: 'edit_file', path: './sum.mjs' },
      });
      expect(readFileSync(join(workspace, 'sum.mjs'), 'utf8')).toBe(FIXED);

      // 5. The tests pass: a green run.
      const secondRun = await runLast();
      expect(secondRun.execution).toMatchObject({ status: 'completed', exitCode: 0 });
      const runs = await expectJson(
        await t.api('GET', `/api/conversations/${id}/test-runs`),
        TestRunListSchema,
      );
      expect(runs.testRuns.map((run) => [run.status, run.passed, run.failed])).toEqual([
        ['failed', 1, 1],
        ['passed', 2, 0],
      ]);

      const { checkpoints } = await expectJson(
        await t.api('GET', `/api/conversations/${id}/checkpoints`),
        CheckpointListSchema,
      );
      expect(checkpoints.map((checkpoint) => checkpoint.kind)).toEqual([
        'baseline',
        'step',
        'step',
        'step',
        'step',
      ]);
      const editStep = checkpoints.find((checkpoint) => checkpoint.executionId === applied.execution.id)!;
      expect(editStep).toMatchObject({ changedFiles: 1, insertions: 1, deletions: 1 });
      const diff = await expectJson(
        await t.api('GET', `/api/checkpoints/${editStep.id}/diff`),
        CheckpointDiffSchema,
      );
      expect(diff.files).toEqual([
        { path: 'sum.mjs', status: 'modified', binary: false, insertions: 1, deletions: 1 },
      ]);
      expect(diff.diff).toContain('-  return a - b;\n+  return a + b;');
      const missedStep = checkpoints.find((checkpoint) => checkpoint.executionId === missed.execution.id)!;
      expect(missedStep.changedFiles).toBe(0);

      // 6. Restoring to before the edit puts the file back and names the messages that came after; restoring
      // to before the restore undoes it.
      const restored = await expectJson(
        await t.api('POST', `/api/checkpoints/${editStep.id}/restore`, {}),
        RestoreResultSchema,
      );
      expect(readFileSync(join(workspace, 'sum.mjs'), 'utf8')).toBe(BROKEN);
      expect(restored.checkpoint).toMatchObject({ kind: 'restore', restoredCheckpointId: editStep.id });
      const conversation = await expectJson(
        await t.api('GET', `/api/conversations/${id}`),
        ConversationWithMessagesSchema,
      );
      const resultIndex = conversation.messages.findIndex(
        (message) => message.id === applied.execution.resultMessageId,
      );
      expect(restored.messagesAfter.map((message) => message.id)).toEqual(
        conversation.messages.slice(resultIndex + 1).map((message) => message.id),
      );
      expect(restored.messagesAfter.at(-1)?.preview).toBe('The tests pass.');
      await expectJson(
        await t.api('POST', `/api/checkpoints/${restored.checkpoint.id}/restore`, {}),
        RestoreResultSchema,
      );
      expect(readFileSync(join(workspace, 'sum.mjs'), 'utf8')).toBe(FIXED);

      // The model was offered the file tools and read each answer as a tool result.
      const offered = (requests[0]!.body as { tools: { function: { name: string } }[] }).tools;
      expect(offered.map((tool) => tool.function.name)).toEqual([
        'run_command',
        'read_file',
        'write_file',
        'edit_file',
      ]);
      const toolAnswers = conversation.messages.filter((message) => message.role === 'tool');
      expect(toolAnswers[1]!.content).toBe('rejected by the user: fix the code, not the test');
      expect(toolAnswers[3]!.content).toMatch(/^edit_file sum\.mjs: applied 1 edit/);
    },
    60_000,
  );

  it.runIf(canRun)(
    'shows the workspace, its changes since the first checkpoint, auto-commits steps and commits with a drafted message',
    async () => {
      const workspace = workspaceWith('mp-workspace-view-', { 'README.md': '# Demo\n' });
      const git = (...args: string[]) =>
        execFileSync('git', args, {
          cwd: workspace,
          encoding: 'utf8',
          env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
        });
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('-c', 'user.name=A', '-c', 'user.email=a@example.com', 'commit', '-q', '-m', 'start');
      const server = await startOpenAiCompatibleServer(() => textStream('Add the greeting'));
      cleanups.push(() => server.close());
      const t = await startApp();
      const id = await newConversation(t, 'View', {
        provider: 'openai-compatible',
        baseUrl: `${server.url}/v1`,
        model: 'scripted',
        workspace,
        autoCommit: true,
      });
      const direct = await expectJson(
        await t.api('POST', `/api/conversations/${id}/run`, {
          command: 'mkdir -p src && echo hi > src/hello.txt',
        }),
        ExecutionSchema,
      );
      await settle(t.app);
      // The step's checkpoint names the message that reports it: a direct run's Diff and Restore live there.
      const steps = await expectJson(
        await t.api('GET', `/api/conversations/${id}/checkpoints`),
        CheckpointListSchema,
      );
      const ran = await expectJson(await t.api('GET', `/api/executions/${direct.id}`), ExecutionSchema);
      expect(steps.checkpoints.find((checkpoint) => checkpoint.executionId === direct.id)).toMatchObject({
        messageId: ran.resultMessageId,
        changedFiles: 1,
      });
      // The step was committed to the workspace's own repository by itself.
      expect(git('log', '--format=%s', '-n', '1').trim()).toBe('mp: mkdir -p src && echo hi > src/hello.txt');
      expect(git('status', '--porcelain')).toBe('');

      const root = await expectJson(
        await t.api('GET', `/api/conversations/${id}/workspace/tree`),
        WorkspaceTreeSchema,
      );
      expect(root.entries.map((entry) => [entry.name, entry.kind])).toEqual([
        ['.git', 'dir'],
        ['src', 'dir'],
        ['README.md', 'file'],
      ]);
      const src = await expectJson(
        await t.api('GET', `/api/conversations/${id}/workspace/tree?dir=src`),
        WorkspaceTreeSchema,
      );
      expect(src.entries).toEqual([{ path: 'src/hello.txt', name: 'hello.txt', kind: 'file', size: 3 }]);
      expect(
        await expectJson(
          await t.api('GET', `/api/conversations/${id}/workspace/file?path=src/hello.txt`),
          WorkspaceFileSchema,
        ),
      ).toEqual({ path: 'src/hello.txt', size: 3, content: 'hi\n', binary: false, truncated: false });
      const outside = await t.api('GET', `/api/conversations/${id}/workspace/file?path=../../etc/passwd`);
      expect(outside.status).toBe(400);
      const above = await t.api('GET', `/api/conversations/${id}/workspace/tree?dir=..`);
      expect(above.status).toBe(400);

      // Changes since the first checkpoint; then a change left for the Commit action.
      writeFileSync(join(workspace, 'README.md'), '# Demo\n\nHello.\n');
      const changes = await expectJson(
        await t.api('GET', `/api/conversations/${id}/workspace/changes`),
        WorkspaceChangesSchema,
      );
      expect(changes.gitRepository).toBe(true);
      expect(changes.files.map((file) => [file.path, file.status])).toEqual([
        ['README.md', 'modified'],
        ['src/hello.txt', 'added'],
      ]);
      const draft = await expectJson(
        await t.api('POST', `/api/conversations/${id}/workspace/commit-message`),
        CommitMessageDraftSchema,
      );
      expect(draft.message).toBe('Add the greeting');
      expect(draft.modelCallId).not.toBeNull();
      const drafted = (server.requests.at(-1)!.body as { messages: { content: string }[] }).messages;
      expect(drafted.at(-1)!.content).toContain('+Hello.');
      const committed = await expectJson(
        await t.api('POST', `/api/conversations/${id}/workspace/commit`, { message: 'Greet the reader' }),
        CommitWorkResultSchema,
      );
      expect(git('log', '--format=%H %s', '-n', '1').trim()).toBe(`${committed.commit} Greet the reader`);
      const nothing = await t.api('POST', `/api/conversations/${id}/workspace/commit`, { message: 'again' });
      expect(nothing.status).toBe(400);
    },
    60_000,
  );

  it.runIf(canRun)(
    'stores the tool calls a person writes as the assistant like a model’s, and answers them the same way',
    async () => {
      const workspace = workspaceWith('mp-person-tools-', { 'sum.mjs': BROKEN });
      const t = await startApp();
      const id = await newConversation(t, 'Playing the model', { workspace });
      const refused = await t.api('POST', `/api/conversations/${id}/messages`, {
        role: 'user',
        content: 'x',
        toolCalls: [{ name: 'run_command', arguments: { command: 'ls' } }],
      });
      expect(refused.status).toBe(400);
      const written = await expectJson(
        await t.api('POST', `/api/conversations/${id}/messages`, {
          role: 'assistant',
          content: 'Fixing the sign.',
          toolCalls: [
            {
              name: 'edit_file',
              arguments: { path: 'sum.mjs', edits: [{ old_text: 'a - b', new_text: 'a + b' }] },
            },
            { name: 'run_command', arguments: { command: 'cat sum.mjs' } },
          ],
        }),
        MessageSchema,
        201,
      );
      expect(written.toolCalls.map((call) => call.name)).toEqual(['edit_file', 'run_command']);
      expect(written.toolCalls[0]!.id).toMatch(/^call_\w+$/);
      await settle(t.app);
      const made = (
        await expectJson(await t.api('GET', `/api/conversations/${id}/proposals`), ProposalListSchema)
      ).proposals;
      expect(made.map((proposal) => [proposal.kind, proposal.toolCallId])).toEqual([
        ['edit_file', written.toolCalls[0]!.id],
        ['command', written.toolCalls[1]!.id],
      ]);
      for (const proposal of made) {
        await expectJson(await t.api('POST', `/api/proposals/${proposal.id}/run`, {}), ExecutionSchema);
        await settle(t.app);
      }
      expect(readFileSync(join(workspace, 'sum.mjs'), 'utf8')).toBe(FIXED);
      const conversation = await expectJson(
        await t.api('GET', `/api/conversations/${id}`),
        ConversationWithMessagesSchema,
      );
      const answers = conversation.messages.filter((message) => message.role === 'tool');
      expect(answers.map((answer) => answer.toolCallId)).toEqual(written.toolCalls.map((call) => call.id));
      expect(answers[0]!.content).toMatch(/^edit_file sum\.mjs: applied 1 edit/);
      expect(answers[1]!.content).toContain('return a + b;');

      // A conversation's own folder lies under the data dir, which is hidden from file actions and the view
      // everywhere else: its own files are still its own.
      const managed = { id: await newConversation(t, 'Own folder') };
      await t.api('POST', `/api/conversations/${managed.id}/messages`, {
        role: 'assistant',
        content: '',
        toolCalls: [{ name: 'write_file', arguments: { path: 'notes.md', content: '# Notes\n' } }],
      });
      await settle(t.app);
      const [write] = (
        await expectJson(await t.api('GET', `/api/conversations/${managed.id}/proposals`), ProposalListSchema)
      ).proposals;
      const wrote = await expectJson(
        await t.api('POST', `/api/proposals/${write!.id}/run`, {}),
        ExecutionSchema,
      );
      expect(wrote).toMatchObject({ status: 'completed', exitCode: 0 });
      expect(readFileSync(join(t.dataDir, 'workspaces', managed.id, 'notes.md'), 'utf8')).toBe('# Notes\n');
      const tree = await expectJson(
        await t.api('GET', `/api/conversations/${managed.id}/workspace/tree`),
        WorkspaceTreeSchema,
      );
      expect(tree.entries.map((entry) => entry.name)).toEqual(['notes.md']);
    },
    60_000,
  );
});
