/**
 * Issue 8's end-to-end test in a real headless Chromium, with a real bwrap sandbox, real node:test runs and a
 * scripted model: the tests fail and the run shows red; the model proposes an edit to the test file and the
 * card warns; the person rejects it; the model fixes the code; the run shows green; the step's diff shows
 * the fix, and restoring to before it puts the file back (and Undo puts the fix back again).
 * Screenshots go to /tmp/programming-loop-*.png for a person to look at.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { type ScriptedBrowserApp, startScriptedBrowserApp } from './support/browser-app.ts';
import type { ChatReply } from './support/scripted-model.ts';

const available =
  requirement('chromium', hasExecutable(CHROMIUM_PATH)) &&
  requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));

const BROKEN = 'export function sum(a, b) {\n  return a - b;\n}\n';
const TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { sum } from '../src/sum.mjs';",
  '',
  "test('adds', () => assert.equal(sum(2, 3), 5));",
  "test('adds zero', () => assert.equal(sum(2, 0), 2));",
  '',
].join('\n');
/** By absolute path: the sandbox's PATH need not hold this Node. */
const TEST_COMMAND = `${process.execPath} --test`;

/** The model's turn after `n` tool results. */
const STEPS: ((reply: ChatReply) => Promise<void>)[] = [
  (reply) => reply.runCommand('call_1', TEST_COMMAND),
  (reply) =>
    reply.toolCall('call_2', 'edit_file', {
      path: 'test/sum.test.mjs',
      edits: [{ old_text: 'sum(2, 3), 5', new_text: 'sum(2, 3), -1' }],
    }),
  (reply) =>
    reply.toolCall('call_3', 'edit_file', {
      path: 'src/sum.mjs',
      edits: [{ old_text: 'return a - b;', new_text: 'return a + b;' }],
    }),
  (reply) => reply.runCommand('call_4', TEST_COMMAND),
];

describe.runIf(available)('the programming loop in a browser', () => {
  let app: ScriptedBrowserApp;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    app = await startScriptedBrowserApp(async (request, reply) => {
      const step = STEPS[request.messages.filter((message) => message.role === 'tool').length];
      if (step === undefined) {
        await reply.text('The tests pass now.');
        await reply.finish();
        return;
      }
      await step(reply);
      await reply.finish('tool_calls');
    });
  });
  afterAll(async () => {
    await app?.close();
  });
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('shows red, warns on a test edit, applies the fix, shows green, and diffs and restores the step', async () => {
    const workspace = makeTempDir('mp-programming-loop-');
    cleanups.push(() => workspace.remove());
    const source = join(workspace.path, 'src', 'sum.mjs');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(workspace.path, 'src'));
    mkdirSync(join(workspace.path, 'test'));
    writeFileSync(source, BROKEN);
    writeFileSync(join(workspace.path, 'test', 'sum.test.mjs'), TEST);
    const id = await app.scriptedConversation('Fix the sum');
    await app.call('PATCH', `/api/conversations/${id}`, {
      workspace: workspace.path,
      testCommand: TEST_COMMAND,
    });
    const { page, context, problems } = await app.openConversation(id);
    page.on('dialog', (dialog) => void dialog.accept());
    const card = (text: string) =>
      page
        .getByRole('group', { name: /^Proposed (command|file action) 1$/ })
        .filter({ hasText: text })
        .last();

    await page.getByLabel('Message text').fill('Make the tests pass.');
    await page.getByLabel('Send to model').check();
    await page.getByRole('button', { name: 'Send to model' }).click();

    // Red: the run is a test run, counted, and the timeline's last dot says failed.
    await card('run_command')
      .getByRole('button', { name: /\bRun\b/ })
      .click();
    await card('run_command').getByText('tests: 1 passed, 1 failed').waitFor();
    await page.getByText('last: failed').waitFor();

    // The model edits the test: the card warns before approval; the person rejects it.
    const testEdit = card('test/sum.test.mjs');
    await testEdit
      .getByRole('alert')
      .filter({ hasText: 'This changes a test, not the code under test, and the last test run failed.' })
      .waitFor();
    await page.screenshot({ path: '/tmp/programming-loop-1-warning.png' });
    await testEdit.getByRole('button', { name: /\bReject/ }).click();
    await testEdit.getByLabel('Reason for rejecting').fill('fix the code, not the test');
    await testEdit.getByLabel('Reason for rejecting').press('Enter');
    await testEdit.getByText('Rejected: fix the code, not the test').waitFor();
    expect(readFileSync(join(workspace.path, 'test', 'sum.test.mjs'), 'utf8')).toBe(TEST);

    // The model fixes the code; the person applies it; the step's diff shows the change.
    const fix = card('src/sum.mjs');
    await fix.getByRole('button', { name: /\bApply\b/ }).click();
    await eventually(() => readFileSync(source, 'utf8')).toContain('return a + b;');
    await fix.getByRole('button', { name: /^Diff/ }).click();
    const inspector = page.getByRole('complementary').filter({ hasText: 'Step diff' });
    await inspector.getByText('return a + b;').waitFor();
    await expect(inspector.getByText('return a - b;').count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/programming-loop-2-diff.png' });

    // Green.
    await card('run_command')
      .getByRole('button', { name: /\bRun\b/ })
      .click();
    await page.getByText('last: passed').waitFor();
    await card('run_command').getByText('tests: 2 passed').waitFor();
    await page.getByText('The tests pass now.').waitFor();
    await page.screenshot({ path: '/tmp/programming-loop-3-green.png' });

    // Restore to before the fix: the file is back, and the toast names what came after; Undo restores it.
    await fix.scrollIntoViewIfNeeded();
    await fix.getByRole('button', { name: 'Restore to before this step' }).click();
    await eventually(() => readFileSync(source, 'utf8')).toBe(BROKEN);
    await page.screenshot({ path: '/tmp/programming-loop-4-restored.png' });
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(() => readFileSync(source, 'utf8')).toContain('return a + b;');

    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('shows the diff of a command the person ran directly under its output, and restores before it', async () => {
    const workspace = makeTempDir('mp-direct-step-');
    cleanups.push(() => workspace.remove());
    writeFileSync(join(workspace.path, 'notes.txt'), 'one\n');
    const id = await app.scriptedConversation('Direct step');
    await app.call('PATCH', `/api/conversations/${id}`, { workspace: workspace.path });
    await app.call('POST', `/api/conversations/${id}/run`, { command: 'echo two >> notes.txt' });
    const { page, context, problems } = await app.openConversation(id);
    page.on('dialog', (dialog) => void dialog.accept());
    const output = page.getByRole('article').filter({ hasText: '$ echo two >> notes.txt' });
    await output.getByText('1 file changed, +1 −0').waitFor();
    await output.getByRole('button', { name: 'Diff' }).click();
    await page.getByRole('complementary').filter({ hasText: 'Step diff' }).getByText('two').first().waitFor();
    await output.getByRole('button', { name: 'Restore to before this step' }).click();
    await eventually(() => readFileSync(join(workspace.path, 'notes.txt'), 'utf8')).toBe('one\n');
    expect(problems).toEqual([]);
    await context.close();
  });
});
