/**
 * Issue 8 item 2 in a real headless Chromium with a real bwrap sandbox: a person playing the model writes tool
 * calls from the composer (an edit of a workspace file and a command), sends them with the message, and they
 * come back as proposals like a model's; applying and running them changes the file on disk and answers each
 * call with a tool message. The small forms say what is missing beside the field, and Esc closes them.
 * Screenshots go to /tmp/person-tool-calls*.png for a person to look at.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openSignedIn } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { auditPage } from './support/axe-audit.ts';
import { type BrowserApp, startBrowserApp } from './support/browser-app.ts';
import { layoutProblems } from './support/layout-checks.ts';

const available =
  requirement('chromium', hasExecutable(CHROMIUM_PATH)) &&
  requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));

const BROKEN = 'export function sum(a, b) {\n  return a - b;\n}\n';
const FIXED = 'export function sum(a, b) {\n  return a + b;\n}\n';

interface StoredMessage {
  role: string;
  content: string;
  toolCallId: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
}

/** The accessible name of the focused element and whether its focus ring shows. */
function focused(page: Page): Promise<{ name: string; ringShown: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement)) return { name: '', ringShown: false };
    const name =
      element.getAttribute('aria-label') ??
      (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement
        ? (element.labels?.[0]?.textContent ?? '')
        : element.textContent);
    const style = getComputedStyle(element);
    return {
      name: name.trim(),
      ringShown:
        element.matches(':focus-visible') &&
        style.outlineStyle !== 'none' &&
        Number.parseFloat(style.outlineWidth) >= 2,
    };
  });
}

describe.runIf(available)('tool calls a person writes as the assistant', () => {
  let app: BrowserApp;
  let workspace: string;

  beforeAll(async () => {
    app = await startBrowserApp();
    workspace = mkdtempSync(join(tmpdir(), 'mp-person-tool-calls-'));
  });
  afterAll(async () => {
    await app?.close();
    if (workspace !== undefined) rmSync(workspace, { recursive: true, force: true });
  });

  it('proposes an edit and a command from the composer, and runs both from their cards', async () => {
    writeFileSync(join(workspace, 'sum.mjs'), BROKEN);
    const { id } = await app.call<{ id: string }>('POST', '/api/conversations', {
      title: 'Playing the model',
    });
    await app.call('PATCH', `/api/conversations/${id}`, { workspace });
    await app.call('POST', `/api/conversations/${id}/messages`, {
      role: 'user',
      content: 'Fix sum, please.',
    });

    const { page, context, problems } = await openSignedIn(app.browser, app.server);
    await page.goto(`${app.server.origin}/#/c/${id}`);
    await page.getByRole('article', { name: /^User/ }).waitFor();
    const composer = page.getByRole('form', { name: 'Add a message' });
    // Only the assistant writes tool calls.
    expect(await composer.getByRole('button', { name: 'Propose an edit' }).count()).toBe(0);
    await composer.getByLabel('Role and author').selectOption('assistant');

    // The edit: an empty form is refused field by field, the cursor on the first field to fix.
    await composer.getByRole('button', { name: 'Propose an edit' }).click();
    const editForm = composer.getByRole('group', { name: 'Propose an edit' });
    await eventually(() => focused(page)).toMatchObject({ name: 'Path' });
    await editForm.getByRole('button', { name: 'Add to the message' }).click();
    const path = editForm.getByLabel('Path');
    await eventually(() => path.getAttribute('aria-invalid')).toBe('true');
    expect(await path.evaluate((element) => element === document.activeElement)).toBe(true);
    const oldText = editForm.getByLabel('Old text (block 1)');
    expect(await oldText.getAttribute('aria-invalid')).toBe('true');
    expect(await editForm.locator('.tool-call-form__problem').allTextContents()).toEqual([
      'Give the file’s path, relative to the workspace (e.g. src/index.ts).',
      'Block 1: give the text to replace; it must occur exactly once in the file.',
    ]);
    // Named by its message: a screen reader reads the problem with the field.
    const described = await path.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${described}"]`).textContent()).toMatch(/^Give the file’s path/);
    // While a form is open the message waits for it.
    expect(await composer.getByRole('button', { name: 'Add as Assistant' }).isDisabled()).toBe(true);
    await path.fill('sum.mjs');
    await oldText.fill('a - b');
    await editForm.getByLabel('New text (block 1)').fill('a + b');
    expect(await editForm.locator('.tool-call-form__problem').count()).toBe(0);
    await editForm.getByRole('button', { name: 'Add to the message' }).click();
    await composer
      .getByRole('list', { name: 'Tool calls of this message' })
      .getByRole('button', { name: 'Change tool call 1: edit_file sum.mjs (1 block)' })
      .waitFor();
    expect(await editForm.count()).toBe(0);

    // The command, by keyboard: Enter in the one-line timeout field adds it, and the focus comes back.
    await composer.getByRole('button', { name: 'Propose a command' }).click();
    await eventually(() => focused(page)).toMatchObject({ name: 'Command' });
    await page.keyboard.type('cat sum.mjs');
    await page.keyboard.press('Tab');
    await page.keyboard.type('30');
    await page.screenshot({ path: '/tmp/person-tool-calls-compose.png' });
    await page.keyboard.press('Enter');
    await composer.getByRole('button', { name: 'Change tool call 2: run_command cat sum.mjs' }).waitFor();
    await eventually(() => focused(page)).toEqual({ name: '+Propose a command', ringShown: true });

    // Esc closes a form without adding anything, and gives the focus back to its button.
    for (const next of ['+Propose an edit', '+Write a file', '+Read a file']) {
      await page.keyboard.press('Tab');
      await eventually(() => focused(page)).toEqual({ name: next, ringShown: true });
    }
    await page.keyboard.press('Enter');
    const readForm = composer.getByRole('group', { name: 'Read a file' });
    await readForm.getByLabel('Path').waitFor();
    await page.keyboard.type('README.md');
    await page.keyboard.press('Escape');
    await readForm.waitFor({ state: 'detached' });
    await eventually(() => focused(page)).toEqual({ name: '+Read a file', ringShown: true });
    expect(await composer.locator('.tool-call-chip').count()).toBe(2);

    // Sending posts the calls with the text; the model is not called with them unanswered.
    await composer.getByLabel('Message text').fill('Fixing the sign.');
    expect(await composer.getByRole('checkbox', { name: 'Send to model' }).isDisabled()).toBe(true);
    await composer.getByRole('button', { name: 'Add with 2 tool calls' }).click();
    await eventually(() => composer.locator('.tool-call-chip').count()).toBe(0);
    expect(await composer.getByLabel('Message text').inputValue()).toBe('');

    const edit = page.getByRole('group', { name: 'Proposed file action 1' });
    const command = page.getByRole('group', { name: 'Proposed command 2' });
    await edit.waitFor();
    await command.waitFor();
    expect(await edit.textContent()).toContain('edit_file');
    expect(await command.getByLabel('Command 2').inputValue()).toBe('cat sum.mjs');
    expect(await command.textContent()).toContain('timeout 30 s');

    await edit.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/person-tool-calls-cards.png' });
    await edit.getByRole('button', { name: /Apply/ }).click();
    await eventually(() => readFileSync(join(workspace, 'sum.mjs'), 'utf8')).toBe(FIXED);
    await command.getByRole('button', { name: /^▶ Run/ }).click();

    // Each call is answered by a tool message, in the shape a model's call would have been.
    const toolMessages = page.getByRole('article', { name: /^Tool/ });
    await eventually(() => toolMessages.count()).toBe(2);
    await eventually(() => toolMessages.nth(0).textContent()).toContain('applied 1 edit');
    await eventually(() => toolMessages.nth(1).textContent()).toContain('return a + b;');
    const stored = await app.call<{ messages: StoredMessage[] }>('GET', `/api/conversations/${id}`);
    const written = stored.messages.find((message) => message.role === 'assistant');
    expect(written?.content).toBe('Fixing the sign.');
    expect(written?.toolCalls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([
      ['edit_file', { path: 'sum.mjs', edits: [{ old_text: 'a - b', new_text: 'a + b' }] }],
      ['run_command', { command: 'cat sum.mjs', timeout_seconds: 30 }],
    ]);
    const answers = stored.messages.filter((message) => message.role === 'tool');
    expect(answers.map((answer) => answer.toolCallId)).toEqual(written?.toolCalls.map((call) => call.id));

    await page.screenshot({ path: '/tmp/person-tool-calls.png', fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the chips and a form with its problems readable, whole and audited, light and wide, dark and narrow', async () => {
    const { id } = await app.call<{ id: string }>('POST', '/api/conversations', { title: 'Forms audited' });
    await app.call('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'Look around.' });
    const layouts = [
      { name: 'wide-light', viewport: { width: 1280, height: 800 }, colorScheme: 'light' as const },
      { name: 'narrow-dark', viewport: { width: 400, height: 800 }, colorScheme: 'dark' as const },
    ];
    for (const layout of layouts) {
      const { page, context, problems } = await openSignedIn(app.browser, app.server, layout);
      await page.goto(`${app.server.origin}/#/c/${id}`);
      await page.getByRole('article', { name: /^User/ }).waitFor();
      const composer = page.getByRole('form', { name: 'Add a message' });
      await composer.getByLabel('Role and author').selectOption('assistant');
      await composer.getByRole('button', { name: 'Read a file' }).click();
      const readForm = composer.getByRole('group', { name: 'Read a file' });
      await readForm.getByLabel('Path').fill('docs/a-rather-long-folder-name/and-a-longer-file-name.md');
      await readForm.getByLabel('First line (optional)').fill('12');
      await readForm.getByRole('button', { name: 'Add to the message' }).click();
      await composer.getByRole('button', { name: /^Change tool call 1: read_file docs\// }).waitFor();
      await composer.getByRole('button', { name: 'Propose an edit' }).click();
      const editForm = composer.getByRole('group', { name: 'Propose an edit' });
      await editForm.getByRole('button', { name: 'Add a block' }).click();
      await editForm.getByRole('button', { name: 'Add to the message' }).click();
      await eventually(() => editForm.locator('.tool-call-form__problem').count()).toBe(3);
      await editForm.getByRole('button', { name: 'Remove block 2' }).waitFor();

      const screen = `composer-tool-calls-${layout.name}`;
      expect([...(await auditPage(page, screen)), ...(await layoutProblems(page, screen))]).toEqual([]);
      await page.screenshot({ path: `/tmp/person-tool-calls-${layout.name}.png` });
      expect(problems).toEqual([]);
      await context.close();
    }
  });
});
