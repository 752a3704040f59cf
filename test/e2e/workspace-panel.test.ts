/**
 * Issue 8 item 4 in a real headless Chromium with a real bwrap sandbox: the workspace panel lists the
 * workspace one folder at a time, shows the chosen file highlighted and read-only, shows everything that
 * differs from the conversation's first checkpoint file by file, and follows the live events (a step's
 * checkpoint refreshes the tree without a reload).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openSignedIn } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { type BrowserApp, startBrowserApp } from './support/browser-app.ts';

const available =
  requirement('chromium', hasExecutable(CHROMIUM_PATH)) &&
  requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));

interface Execution {
  id: string;
  endedAt: string | null;
  exitCode: number | null;
}

describe.runIf(available)('the workspace panel', () => {
  let app: BrowserApp;
  let workspace: string;

  beforeAll(async () => {
    app = await startBrowserApp();
    // A folder of the person's own, as a repository would be (the data dir is hidden from the view).
    workspace = mkdtempSync(join(tmpdir(), 'mp-workspace-panel-'));
  });
  afterAll(async () => {
    await app?.close();
    if (workspace !== undefined) rmSync(workspace, { recursive: true, force: true });
  });

  /** Runs a command as the person would from the composer, and waits until it has ended. */
  async function runCommand(conversationId: string, command: string): Promise<void> {
    const started = await app.call<Execution>('POST', `/api/conversations/${conversationId}/run`, {
      command,
    });
    await eventually(
      async () => (await app.call<Execution>('GET', `/api/executions/${started.id}`)).endedAt,
    ).not.toBeNull();
    expect((await app.call<Execution>('GET', `/api/executions/${started.id}`)).exitCode).toBe(0);
  }

  it('shows the tree, a highlighted file, the changes since the first checkpoint, and follows new steps', async () => {
    const { id } = await app.call<{ id: string }>('POST', '/api/conversations', { title: 'Workspace panel' });
    await app.call('PATCH', `/api/conversations/${id}`, { workspace });
    mkdirSync(join(workspace, 'src', 'deep'), { recursive: true });
    writeFileSync(join(workspace, 'src', 'answer.ts'), 'export const answer = 42;\n');
    writeFileSync(join(workspace, 'src', 'deep', 'notes.md'), '# Notes\n');
    writeFileSync(join(workspace, 'README.md'), '# Project\n');
    // One step: the baseline is taken before it, its checkpoint after it.
    await runCommand(id, "printf 'export const answer = 43;\\n' > src/answer.ts && echo hello > added.txt");

    const { page, context, problems } = await openSignedIn(app.browser, app.server);
    await page.goto(`${app.server.origin}/#/c/${id}`);
    await page.getByRole('button', { name: 'Files', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'Inspector' });
    const tree = panel.getByRole('navigation', { name: 'Workspace files' });

    // The root level only, folders first; a folder opens on demand.
    await tree.getByRole('button', { name: 'src/' }).waitFor();
    await tree.getByRole('button', { name: 'README.md' }).waitFor();
    expect(await tree.getByRole('button', { name: 'answer.ts' }).count()).toBe(0);
    await tree.getByRole('button', { name: 'src/' }).click();
    expect(await tree.getByRole('button', { name: 'src/' }).getAttribute('aria-expanded')).toBe('true');
    await tree.getByRole('button', { name: 'deep/' }).waitFor();
    await tree.getByRole('button', { name: 'answer.ts' }).click();

    const file = panel.getByRole('group', { name: 'Content of src/answer.ts' });
    await eventually(() => file.textContent()).toBe('export const answer = 43;\n');
    // Highlighted by class (the CSP forbids inline styles), coloured by the highlight.js theme.
    const keyword = file.locator('.hljs-keyword').first();
    expect(await keyword.textContent()).toBe('export');
    expect(await keyword.evaluate((element) => getComputedStyle(element).color)).not.toBe(
      await file.evaluate((element) => getComputedStyle(element).color),
    );
    expect(await tree.getByRole('button', { name: 'answer.ts' }).getAttribute('aria-current')).toBe('true');
    await page.screenshot({ path: '/tmp/h5/panel-file.png' });

    await panel.getByRole('tab', { name: 'Changes' }).click();
    await panel.getByText('2 files differ from the first checkpoint.').waitFor();
    expect(await tree.isVisible()).toBe(false);
    const changed = panel.getByRole('group', { name: 'Changes to src/answer.ts' });
    expect(await changed.locator('.diff-line--removed').textContent()).toContain('export const answer = 42;');
    expect(await changed.locator('.diff-line--added').textContent()).toContain('export const answer = 43;');
    const added = panel.getByRole('group', { name: 'Changes to added.txt' });
    expect(await added.locator('.diff-line--added').textContent()).toContain('hello');
    expect(await added.locator('.diff-line--removed').count()).toBe(0);

    // A later step's checkpoint arrives as a live event: the panel reads the workspace again, no reload.
    await page.screenshot({ path: '/tmp/h5/panel-changes.png' });
    await runCommand(id, 'echo later > later.txt');
    await panel.getByText('3 files differ from the first checkpoint.').waitFor();
    await panel.getByRole('tab', { name: 'Files' }).click();
    await tree.getByRole('button', { name: 'later.txt' }).waitFor();

    expect(problems).toEqual([]);
    await context.close();
  });
});
