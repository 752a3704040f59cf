/**
 * Issue 9 item 4 in Chromium: the Export dialog opens from the sidebar on the open conversation, its preview
 * counts the conversation's examples and shows the first line, and Download saves a JSON Lines file whose
 * lines parse, then the dataset card beside it. Keyboard only, from the opener to the download. Opened while
 * the sidebar's filters are on, it takes the conversations they show.
 * `MP_EXPORT_SHOTS=/tmp` also saves the dialog with its preview as `/tmp/export-dialog-*.png`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openSignedIn } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { type BrowserApp, startBrowserApp } from './support/browser-app.ts';

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));
const shots = process.env.MP_EXPORT_SHOTS;

describe.runIf(available)('the Export dialog in a browser', () => {
  let app: BrowserApp;
  let conversationId: string;
  beforeAll(async () => {
    app = await startBrowserApp();
    ({ id: conversationId } = await app.call<{ id: string }>('POST', '/api/conversations', {
      title: 'Reverse a list',
    }));
    for (const [role, content] of [
      ['user', 'How do I reverse a list in Python?'],
      ['assistant', 'Use slicing: `items[::-1]` makes a reversed copy; `items.reverse()` reverses in place.'],
      ['user', 'And a string?'],
      ['assistant', 'The same slice works: `text[::-1]`.'],
    ]) {
      await app.call('POST', `/api/conversations/${conversationId}/messages`, { role, content });
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('previews the counts and a first line, then downloads a file whose lines parse, by keyboard', async () => {
    const { page, problems, context } = await openSignedIn(app.browser, app.server);
    await page.goto(`${app.server.origin}/#/c/${conversationId}`);
    await page.getByText('The same slice works').waitFor();

    await page.getByRole('button', { name: 'Export dataset…' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Export a dataset' });
    await dialog.waitFor();
    expect(await dialog.getByRole('radio', { name: 'This conversation' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('radio', { name: /^openai-sft/ }).isChecked()).toBe(true);

    await dialog.getByRole('button', { name: 'Preview' }).focus();
    await page.keyboard.press('Enter');
    const status = dialog.getByRole('status');
    await eventually(() => status.textContent()).toBe('Preview: 1 example.');
    const preview = dialog.getByRole('region', { name: 'Preview' });
    expect(Number(await preview.locator('[data-count="written"]').textContent())).toBeGreaterThan(0);
    await preview.getByText('Line 1').click();
    const firstLine = await preview.getByRole('region', { name: 'Line 1 as JSON' }).textContent();
    expect(JSON.parse(firstLine ?? '')).toMatchObject({
      messages: expect.arrayContaining([expect.objectContaining({ role: 'assistant' })]),
    });
    if (shots !== undefined) await page.screenshot({ path: join(shots, 'export-dialog-preview.png') });

    const download = dialog.getByRole('button', { name: 'Download .jsonl' });
    await download.focus();
    const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(file.suggestedFilename()).toMatch(/^mp-openai-sft-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const text = readFileSync(await file.path(), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '') as { messages: { role: string; content: string }[] };
    expect(line.messages.at(-1)?.content).toContain('text[::-1]');
    await eventually(() => status.textContent()).toMatch(/^Saved mp-openai-sft-.*\.jsonl \(/);

    const [card] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download README.md' }).click(),
    ]);
    expect(card.suggestedFilename()).toBe('README.md');
    expect(readFileSync(await card.path(), 'utf8')).toContain('| examples written | 1 |');
    if (shots !== undefined) await page.screenshot({ path: join(shots, 'export-dialog-saved.png') });

    // A change to the form sets the preview aside: what shows always matches the form.
    await dialog.getByRole('radio', { name: /^trl-sft/ }).check();
    await eventually(() => preview.count()).toBe(0);

    await page.keyboard.press('Escape');
    await eventually(() => dialog.count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('starts on the conversations the sidebar’s filters show, not the open one', async () => {
    const { id: otherId } = await app.call<{ id: string }>('POST', '/api/conversations', { title: 'Other' });
    for (const [role, content] of [
      ['user', 'What is a monad?'],
      ['assistant', 'A monoid in the category of endofunctors.'],
    ]) {
      await app.call('POST', `/api/conversations/${otherId}/messages`, { role, content });
    }
    await app.call('POST', `/api/conversations/${conversationId}/tags`, { tag: 'keep' });
    const { page, problems, context } = await openSignedIn(app.browser, app.server);
    await page.goto(`${app.server.origin}/#/c/${otherId}`);
    await page.getByText('endofunctors').waitFor();
    await page.getByRole('button', { name: /^Filters/ }).click();
    await page.getByRole('textbox', { name: 'Tag' }).fill('keep');
    const list = page.getByRole('navigation', { name: 'Conversations' });
    await eventually(() => list.getByText('Other').count()).toBe(0);

    await page.getByRole('button', { name: 'Export dataset…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export a dataset' });
    const shown = dialog.getByRole('radio', { name: 'The 1 the sidebar’s filters show' });
    expect(await shown.isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await eventually(() => dialog.getByRole('status').textContent()).toBe('Preview: 1 example.');
    const preview = dialog.getByRole('region', { name: 'Preview' });
    await preview.getByText('Line 1').click();
    const firstLine = await preview.getByRole('region', { name: 'Line 1 as JSON' }).textContent();
    expect(firstLine).toContain('text[::-1]');
    expect(firstLine).not.toContain('endofunctors');
    expect(problems).toEqual([]);
    await context.close();
  });
});
