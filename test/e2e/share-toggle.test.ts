/**
 * Issue 10 item 5 in the browser: on a team server the conversation bar's "Shared with the team" toggle makes a
 * conversation private (its owner signs in through the page's own form), after which another member's API
 * answers 404 for it; another member sees the toggle of a shared conversation but cannot change it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertWebBuildCurrent, eventually, launchBrowser, STEP_LIMIT_MS } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { startTeamApp, type TeamApp } from '../support/team-app.ts';
import { startTestApp } from '../support/test-app.ts';

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));

describe.runIf(available)('the share toggle in a browser', () => {
  let team: TeamApp;
  let browser: Browser;
  beforeAll(async () => {
    assertWebBuildCurrent();
    team = await startTeamApp({ kind: 'sqlite', startApp: startTestApp });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await team?.close();
  });

  async function signInPage(username: string, conversationId: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(STEP_LIMIT_MS);
    await page.goto(`${team.t.baseUrl}/#/c/${conversationId}`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('a team password, long enough');
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  it('lets the owner make a conversation private, which another member then cannot reach', async () => {
    const alice = await team.as('alice');
    const carol = await team.as('carol');
    const made = (await (
      await alice.api('POST', '/api/conversations', { title: 'Alice’s work' })
    ).json()) as {
      id: string;
    };
    const page = await signInPage('alice', made.id);
    const toggle = page.getByRole('checkbox', { name: 'Shared with the team' });
    await eventually(() => toggle.isChecked()).toBe(true);
    expect(await toggle.isEnabled()).toBe(true);
    await toggle.uncheck();
    await eventually(async () => (await carol.api('GET', `/api/conversations/${made.id}`)).status).toBe(404);
    await eventually(() => toggle.isChecked()).toBe(false);
    await page.close();
  });

  it('shows another member the toggle of a shared conversation, unchangeable', async () => {
    const alice = await team.as('alice');
    const made = (await (await alice.api('POST', '/api/conversations', { title: 'Shared work' })).json()) as {
      id: string;
    };
    const page = await signInPage('carol', made.id);
    const toggle = page.getByRole('checkbox', { name: 'Shared with the team' });
    await eventually(() => toggle.isChecked()).toBe(true);
    expect(await toggle.isDisabled()).toBe(true);
    await page.close();
  });
});
