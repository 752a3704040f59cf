/**
 * The rest of the card and sidebar actions in a real browser: multi-select with Delete and Undo, Copy to…
 * another conversation, sibling arrows between branches, custom authors, and editing a conversation's
 * title and description in the sidebar.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertWebBuildCurrent,
  eventually,
  launchBrowser,
  openSignedIn,
  type RunningServer,
  startServer,
} from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { apiClient } from './support/api-client.ts';

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));

describe.runIf(available)('selection, copies and branches', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    assertWebBuildCurrent();
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const call = <T>(method: string, path: string, body?: unknown) => apiClient(server)<T>(method, path, body);

  it('selects a range, deletes it with one Undo, copies to another conversation and switches branches', async () => {
    const target = await call<{ id: string }>('POST', '/api/conversations', { title: 'Target' });
    const source = await call<{ id: string }>('POST', '/api/conversations', { title: 'Source' });
    const ids: string[] = [];
    for (const content of ['one', 'two', 'three', 'four']) {
      ids.push(
        (
          await call<{ id: string }>('POST', `/api/conversations/${source.id}/messages`, {
            role: 'user',
            content,
          })
        ).id,
      );
    }
    // A second answer to "two": "three" gets a sibling, shown as ‹ 1/2 ›.
    await call('POST', `/api/conversations/${source.id}/messages`, {
      role: 'assistant',
      content: 'three, again',
      parentId: ids[1],
    });
    await call('POST', `/api/conversations/${source.id}/select`, { messageId: ids[3] });

    const { page, context, problems } = await openSignedIn(browser, server);
    await page.goto(`${server.origin}/#/c/${source.id}`);
    const cards = page.locator('article.message-card');
    const byText = (text: string) =>
      cards.filter({ has: page.locator('.message-card__content', { hasText: new RegExp(`^${text}$`) }) });
    await byText('four').waitFor();
    expect(await cards.count()).toBe(4);

    // Select "two", shift-click "four": three selected; Delete removes them together, Undo brings all back.
    await byText('two').getByLabel('Select').check();
    await byText('four')
      .locator('.message-card__meta')
      .click({ modifiers: ['Shift'] });
    const bar = page.getByRole('region', { name: 'Selected messages' });
    await bar.getByText('3 selected').waitFor();
    await bar.getByRole('button', { name: 'Delete' }).click();
    await eventually(() => cards.count()).toBe(1);
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(() => cards.count()).toBe(4);

    // Copy "one" and "two" into Target through the dialog, then open Target from the notice.
    await byText('one').getByLabel('Select').check();
    await byText('two').getByLabel('Select').check();
    await bar.getByRole('button', { name: 'Copy to…' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Target/ })
      .click();
    await page.getByText('Copied 2 messages to “Target”.').waitFor();
    await page.getByRole('button', { name: 'Open it' }).click();
    await eventually(() => page.url()).toContain(target.id);
    await eventually(() => cards.allTextContents()).toEqual([
      expect.stringContaining('one'),
      expect.stringContaining('two'),
    ]);

    // Back in Source: the sibling arrows switch to the other answer and back.
    await page.goBack();
    await byText('three').waitFor();
    await byText('three').getByRole('button', { name: 'Next branch' }).click();
    await byText('three, again').getByText('2/2').waitFor();
    expect(await cards.count()).toBe(3);
    await byText('three, again').getByRole('button', { name: 'Previous branch' }).click();
    await byText('four').waitFor();

    // A custom author name, and the button that says what it will do.
    await page.getByLabel('Role and author').selectOption({ label: 'Custom…' });
    await page.getByLabel('Author name').fill('Reviewer');
    await page.getByLabel('Message text').fill('Looks good');
    await eventually(() => page.getByRole('button', { name: /^Add / }).textContent()).toBe('Add as Reviewer');
    await page.getByLabel('Send to model').check();
    await page.getByRole('button', { name: 'Send to model' }).waitFor();
    await page.getByLabel('Send to model').uncheck();
    await page.getByRole('button', { name: 'Add as Reviewer' }).click();
    await page.getByRole('article', { name: 'User · Reviewer message' }).waitFor();

    // Title and description edited in place in the sidebar.
    const sidebar = page.getByRole('navigation', { name: 'Conversations' });
    await sidebar.getByRole('button', { name: 'Edit title and description of Source' }).click();
    await sidebar.getByRole('button', { name: /^Description:/ }).click();
    await sidebar.getByRole('textbox', { name: 'Description' }).fill('Where the numbers come from');
    await sidebar.getByRole('textbox', { name: 'Description' }).press('Control+Enter');
    await sidebar.getByRole('button', { name: 'Done' }).click();
    await sidebar.getByText('Where the numbers come from').waitFor();
    const stored = await call<{ description: string }>('GET', `/api/conversations/${source.id}`);
    expect(stored.description).toBe('Where the numbers come from');

    expect(problems).toEqual([]);
    await context.close();
  });
});
