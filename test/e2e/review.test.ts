/**
 * Issue 9 item 1 in Chromium: a person rates a model message bad with a reason, tags it and sets the
 * conversation's outcome, all from the page; the labels are stored as shown; then the sidebar's filters find
 * the conversation by tag, by rating, and as the one containing a selected message, and leave the other out.
 * `MP_REVIEW_SHOTS=/tmp` also saves `/tmp/review-*.png`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openSignedIn } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { type BrowserApp, startBrowserApp } from './support/browser-app.ts';

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));
const shots = process.env.MP_REVIEW_SHOTS;

interface Label {
  targetKind: string;
  name: string;
  value: string;
  reason: string | null;
}

describe.runIf(available)('review in a browser', () => {
  let app: BrowserApp;
  let reviewed: string;
  let answerId: string;
  beforeAll(async () => {
    app = await startBrowserApp();
    ({ id: reviewed } = await app.call<{ id: string }>('POST', '/api/conversations', {
      title: 'Parser fix',
    }));
    await app.call('POST', `/api/conversations/${reviewed}/messages`, {
      role: 'user',
      content: 'Make the parser tests pass.',
    });
    ({ id: answerId } = await app.call<{ id: string }>('POST', `/api/conversations/${reviewed}/messages`, {
      role: 'assistant',
      author: 'model',
      content: 'Deleting the failing tests makes the suite pass.',
    }));
    const { id: other } = await app.call<{ id: string }>('POST', '/api/conversations', {
      title: 'Other work',
    });
    await app.call('POST', `/api/conversations/${other}/messages`, { role: 'user', content: 'Hello.' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('rates a message bad with a reason, tags it, sets the outcome, and filters the sidebar by them', async () => {
    const { page, problems, context } = await openSignedIn(app.browser, app.server);
    await page.goto(`${app.server.origin}/#/c/${reviewed}`);
    await page.locator(`[data-message-id="${answerId}"]`).waitFor();

    const review = page.getByRole('group', { name: 'Review of this message' });
    await review.getByRole('button', { name: 'Bad' }).click();
    await eventually(() => review.getByRole('button', { name: 'Bad' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await review
      .getByRole('textbox', { name: 'Reason for the rating' })
      .fill('deletes the tests instead of fixing');
    await review.getByRole('button', { name: 'Save' }).click();
    await review.getByText('“deletes the tests instead of fixing”').waitFor();

    await review.getByRole('button', { name: '+ Tag' }).click();
    await review.getByRole('textbox', { name: 'New tag' }).fill('reward-hacking');
    await review.getByRole('button', { name: 'Add tag' }).click();
    await review.getByRole('button', { name: 'Remove tag reward-hacking' }).waitFor();

    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('failed');
    if (shots !== undefined) await page.screenshot({ path: join(shots, 'review-rated.png') });

    await eventually(async () => {
      const { labels } = await app.call<{ labels: Label[] }>('GET', `/api/conversations/${reviewed}/labels`);
      return labels.map((label) => [label.targetKind, label.name, label.value, label.reason]);
    }).toEqual([
      ['message', 'rating', 'bad', 'deletes the tests instead of fixing'],
      ['message', 'tag', 'reward-hacking', null],
      ['conversation', 'outcome', 'failed', null],
    ]);

    const sidebar = page.getByRole('navigation', { name: 'Conversations' });
    const titles = () => sidebar.locator('.sidebar__list .conversation-item__title').allTextContents();
    await eventually(titles).toEqual(['Other work', 'Parser fix']);

    await sidebar.getByRole('button', { name: /^Filters/ }).click();
    await sidebar.getByRole('textbox', { name: 'Tag' }).fill('reward-hacking');
    await eventually(titles).toEqual(['Parser fix']);
    if (shots !== undefined) await page.screenshot({ path: join(shots, 'review-filter-tag.png') });
    await sidebar.getByRole('textbox', { name: 'Tag' }).fill('');
    await sidebar.getByRole('combobox', { name: 'Rating' }).selectOption('bad');
    await eventually(titles).toEqual(['Parser fix']);
    await sidebar.getByRole('combobox', { name: 'Rating' }).selectOption('good');
    await sidebar.getByText('No conversation matches the filters.').waitFor();
    await sidebar.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(titles).toEqual(['Other work', 'Parser fix']);

    // The conversations that contain the selected message: only this one (no copies elsewhere).
    await page
      .locator(`[data-message-id="${answerId}"]`)
      .getByRole('checkbox', { name: 'Select', exact: true })
      .check();
    await page
      .getByRole('region', { name: 'Selected messages' })
      .getByRole('button', { name: 'Find conversations' })
      .click();
    await eventually(titles).toEqual(['Parser fix']);
    await sidebar.getByText('Containing 1 selected message').waitFor();
    if (shots !== undefined) await page.screenshot({ path: join(shots, 'review-filter-containing.png') });

    expect(problems).toEqual([]);
    await context.close();
  });
});
