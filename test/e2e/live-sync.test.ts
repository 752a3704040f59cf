/**
 * Two tabs on one conversation stay in step through the live events (SSE): what one tab does, the other
 * shows without a reload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));

describe.runIf(available)('two tabs', () => {
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

  it('see each other’s messages, edits, inclusion, deletions and titles', async () => {
    const first = await openSignedIn(browser, server);
    const tabA = first.page;
    const tabB = await first.context.newPage();

    await tabA
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: '+ New conversation' })
      .click();
    await eventually(() => tabA.url()).toMatch(/#\/c\//);
    await tabB.goto(tabA.url());
    await tabB.getByText('No messages yet.').waitFor();

    // A adds; B sees the card appear.
    await tabA.getByLabel('Message text').fill('Hello from tab A');
    await tabA.getByLabel('Message text').press('Control+Enter');
    const cardInB = tabB.locator('article.message-card').filter({ hasText: 'Hello from tab A' });
    await cardInB.waitFor();
    const id = await cardInB.getAttribute('data-message-id');
    const byId = `article.message-card[data-message-id="${id}"]`;

    // B edits; A shows the new revision.
    await tabB.locator(byId).getByRole('button', { name: 'Edit' }).click();
    await tabB.locator(byId).getByRole('textbox').fill('Hello from tab A, edited in B');
    await tabB.locator(byId).getByRole('textbox').press('Control+Enter');
    await tabA.locator(byId).getByText('edited in B').waitFor();
    await tabA.locator(byId).getByText('rev 2/2').waitFor();

    // A unchecks it; B shows it dimmed.
    await tabA.locator(byId).getByLabel('Send').uncheck();
    await eventually(() => tabB.locator(byId).getByLabel('Send').isChecked()).toBe(false);

    // B renames the conversation; A's top bar and sidebar follow.
    await tabB.getByRole('button', { name: /^Conversation title:/ }).click();
    await tabB.getByLabel('Conversation title').fill('Renamed in B');
    await tabB.getByLabel('Conversation title').press('Enter');
    await tabA.getByRole('button', { name: /^Conversation title: Renamed in B/ }).waitFor();
    await tabA.getByRole('navigation', { name: 'Conversations' }).getByText('Renamed in B').waitFor();

    // A deletes; the card leaves B. A undoes; it comes back in B.
    await tabA.locator(byId).getByRole('button', { name: 'Delete' }).click();
    await eventually(() => tabB.locator(byId).count()).toBe(0);
    await tabA.getByRole('button', { name: 'Undo' }).click();
    await tabB.locator(byId).waitFor();

    expect(first.problems).toEqual([]);
    await first.context.close();
  });

  it('refetches after the live stream was cut, so nothing announced meanwhile is missed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mp-e2e-restart-'));
    let instance = await startServer({ dataDir });
    try {
      const { page, context } = await openSignedIn(browser, instance);
      const created = await api(instance, 'POST', '/api/conversations', { title: 'Reconnect' });
      await page.goto(`${instance.origin}/#/c/${created.id}`);
      await page.getByText('No messages yet.').waitFor();
      // Keep the page from reconnecting, then restart the server: the page's stream is down for certain.
      await page.route('**/api/events', (route) => route.abort());
      const port = Number(new URL(instance.origin).port);
      await instance.stop();
      instance = await startServer({ dataDir, port });
      await page.getByText('Reconnecting…').waitFor();
      await api(instance, 'POST', `/api/conversations/${created.id}/messages`, {
        role: 'user',
        content: 'Sent meanwhile',
      });
      await page.unroute('**/api/events');
      // No event announced it to this page: only the refetch after reconnecting can show it.
      await page
        .locator('article.message-card')
        .filter({ hasText: 'Sent meanwhile' })
        .waitFor({ timeout: 20_000 });
      await context.close();
    } finally {
      await instance.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

async function api(server: RunningServer, method: string, path: string, body: unknown) {
  const response = await fetch(`${server.origin}${path}`, {
    method,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}
