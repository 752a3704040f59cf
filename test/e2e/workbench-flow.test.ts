/**
 * The browser scenario, in a real headless Chromium against the real server: build a conversation in
 * three roles without sending, edit one message twice and step through its revisions, uncheck one, delete
 * and undo, fork, reload, and find everything as it was.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type OpenedPage, openSignedIn } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { type BrowserApp, startBrowserApp } from './support/browser-app.ts';

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));

function card(page: Page, text: string): Locator {
  return page.locator('article.message-card').filter({ hasText: text });
}

/** The card of one message by id: stays the same card while its text is edited. */
async function stableCard(page: Page, text: string): Promise<Locator> {
  const id = await card(page, text).getAttribute('data-message-id');
  return page.locator(`article.message-card[data-message-id="${id}"]`);
}

async function addMessage(page: Page, who: string, text: string, how: 'button' | 'keyboard') {
  await page.getByLabel('Role and author').selectOption({ label: who });
  await page.getByLabel('Message text').fill(text);
  if (how === 'keyboard') await page.getByLabel('Message text').press('Control+Enter');
  else await page.getByRole('button', { name: /^Add as / }).click();
  await eventually(() => page.getByLabel('Message text').inputValue()).toBe('');
}

describe.runIf(available)('the workbench in a browser', () => {
  let app: BrowserApp;
  let opened: OpenedPage;

  beforeAll(async () => {
    app = await startBrowserApp();
  });
  afterAll(() => app?.close());

  it('keeps a conversation built, edited, unchecked, deleted, undone and forked across a reload', async () => {
    opened = await openSignedIn(app.browser, app.server);
    const { page } = opened;
    const sidebar = page.getByRole('navigation', { name: 'Conversations' });

    await eventually(() => sidebar.getByText('No conversations yet.').isVisible()).toBe(true);
    await sidebar.getByRole('button', { name: '+ New conversation' }).click();
    await page.getByRole('button', { name: /^Conversation title:/ }).click();
    await page.getByLabel('Conversation title').fill('Vector math');
    await page.getByLabel('Conversation title').press('Enter');
    await sidebar.getByText('Vector math').waitFor();

    // Three roles, nothing sent: the button says what it does and the send box stays unchecked.
    await eventually(() => page.getByLabel('Send to model').isChecked()).toBe(false);
    await page.getByLabel('Role and author').selectOption({ label: 'System' });
    await eventually(() => page.getByRole('button', { name: /^Add as / }).textContent()).toBe(
      'Add as System',
    );
    await addMessage(page, 'System', 'You are an AI powered programmer.', 'button');
    await addMessage(page, 'User (human)', 'Write a vector class', 'keyboard');
    await addMessage(page, 'Assistant', 'Here it is:\n\n```python\nclass Vector3:\n    pass\n```', 'button');
    await addMessage(page, 'Terminal', 'user@computer:~$ ls\nvector.py', 'button');
    const cards = page.locator('article.message-card');
    await eventually(() => cards.count()).toBe(4);
    expect(
      await cards.evaluateAll((all) => all.map((element) => element.getAttribute('aria-label'))),
    ).toEqual([
      'System message',
      'User · Human message',
      'Assistant · Human message',
      'User · Terminal message',
    ]);
    // Markdown with highlighted code, rendered as elements, not as raw text.
    await card(page, 'Here it is').locator('pre code.hljs.language-python').waitFor();

    // Two edits make three revisions; the arrows step back through them with a word diff.
    const userCard = await stableCard(page, 'vector class');
    await userCard.getByRole('button', { name: 'Edit' }).click();
    await userCard.getByRole('textbox').fill('Write a Vector3 class');
    await userCard.getByRole('button', { name: /Save/ }).click();
    await userCard.getByText('rev 2/2').waitFor();
    await userCard.locator('.message-card__content').click();
    await userCard.getByRole('textbox').fill('Write a Vector3 class with tests');
    await userCard.getByRole('textbox').press('Control+Enter');
    await userCard.getByText('rev 3/3').waitFor();

    await userCard.getByRole('button', { name: 'Previous revision' }).click();
    await userCard.getByText('rev 2/3').waitFor();
    await eventually(() => userCard.locator('del').allTextContents()).toEqual(['vector']);
    await eventually(() => userCard.locator('ins').allTextContents()).toEqual(['Vector3']);
    await userCard.getByRole('button', { name: 'Previous revision' }).click();
    await userCard.getByText('rev 1/3').waitFor();
    await userCard.getByText('(the original text)').waitFor();
    await userCard.getByRole('button', { name: 'Next revision' }).click();
    await userCard.getByRole('button', { name: 'Next revision' }).click();
    await eventually(() => userCard.locator('ins').allTextContents()).toEqual([' with tests']);
    await userCard.getByRole('button', { name: 'Back to the current text' }).click();

    // Esc leaves an edit without a new revision.
    await userCard.getByRole('button', { name: 'Edit' }).click();
    await userCard.getByRole('textbox').fill('this should not be kept');
    await userCard.getByRole('textbox').press('Escape');
    await userCard.getByText('rev 3/3').waitFor();

    // Uncheck the assistant message: it stays visible, dimmed, and out of the context.
    const assistantCard = await stableCard(page, 'Here it is');
    await assistantCard.getByLabel('Send').uncheck();
    await eventually(() => assistantCard.getAttribute('class')).toContain('is-excluded');
    await page.getByText(/in 3 of 4 messages/).waitFor();

    // Delete and undo; then delete the terminal output for good.
    await card(page, 'AI powered programmer').getByRole('button', { name: 'Delete' }).click();
    await eventually(() => cards.count()).toBe(3);
    await page.getByRole('button', { name: 'Undo' }).click();
    await eventually(() => cards.count()).toBe(4);
    await card(page, 'AI powered programmer').waitFor();
    await card(page, 'vector.py').getByRole('button', { name: 'Delete' }).click();
    await eventually(() => cards.count()).toBe(3);

    // Fork from the user message: the fork opens with the path up to it.
    const originalUrl = page.url();
    await userCard.getByRole('button', { name: 'Fork from here' }).click();
    await eventually(() => page.url()).not.toBe(originalUrl);
    await page.getByRole('button', { name: /^Conversation title: Vector math \(fork\)/ }).waitFor();
    await eventually(() => cards.count()).toBe(2);
    await card(page, 'Write a Vector3 class with tests').waitFor();
    await sidebar.getByRole('button', { name: /^Vector math(?! \(fork\))/ }).click();
    await eventually(() => page.url()).toBe(originalUrl);

    await page.reload();
    await eventually(() => cards.count()).toBe(3);
    const reloadedUser = card(page, 'Write a Vector3 class with tests');
    await reloadedUser.getByText('rev 3/3').waitFor();
    const reloadedAssistant = card(page, 'Here it is');
    expect(await reloadedAssistant.getByLabel('Send').isChecked()).toBe(false);
    expect(await reloadedAssistant.getAttribute('class')).toContain('is-excluded');
    expect(await card(page, 'AI powered programmer').getByLabel('Send').isChecked()).toBe(true);
    expect(await card(page, 'vector.py').count()).toBe(0);
    expect(await sidebar.locator('.conversation-item__title').allTextContents()).toEqual([
      'Vector math (fork)',
      'Vector math',
    ]);

    // Deleted messages can be shown, and restored from their card.
    await page.getByLabel(/deleted$/).check();
    await card(page, 'vector.py').getByRole('button', { name: 'Restore' }).click();
    await page.getByLabel(/deleted$/).uncheck();
    await eventually(() => cards.count()).toBe(4);

    // Search finds the message in both conversations; a hit opens its conversation and lights the card up.
    await sidebar.getByRole('button', { name: /^Vector math \(fork\)/ }).click();
    await eventually(() => page.url()).not.toBe(originalUrl);
    await sidebar.getByLabel('Search conversations and messages').fill('Vector3 class');
    const hits = sidebar.getByRole('region', { name: 'Matching messages' }).locator('.search-hit');
    const userHits = hits.filter({
      has: page.locator('.search-hit__detail', { hasText: /^User · Human in / }),
    });
    await eventually(() => userHits.locator('.search-hit__detail').allTextContents()).toEqual(
      expect.arrayContaining(['User · Human in Vector math', 'User · Human in Vector math (fork)']),
    );
    await eventually(() => userHits.first().locator('mark').allTextContents()).toContain('Vector3');
    await userHits
      .filter({ has: page.locator('.search-hit__detail', { hasText: /in Vector math$/ }) })
      .click();
    await eventually(() => page.url()).toBe(originalUrl);
    await page
      .locator('article.message-card.is-highlighted', { hasText: 'Write a Vector3 class with tests' })
      .waitFor();

    // The strict CSP held: no violation, no script error.
    expect(opened.problems).toEqual([]);
    await opened.context.close();
  });

  it('asks for the printed link when the page has no token', async () => {
    const context = await app.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.server.origin}/`);
    await page.getByText('Open the link that mp serve printed (it carries the access token).').waitFor();
    await context.close();
  });
});
