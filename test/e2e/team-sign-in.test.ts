/**
 * The page on a team server (issue 10 item 3): it asks for a username and password, shows the server's one
 * answer for a wrong name or password, works signed in (its CSRF token goes with every request, so writing a
 * message succeeds), stays signed in across a reload without keeping anything in storage, shows who is signed
 * in, and signs out.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertWebBuildCurrent, launchBrowser, STEP_LIMIT_MS } from '../support/browser.ts';
import {
  CHROMIUM_PATH,
  hasExecutable,
  isolatedEnvironment,
  REPO_ROOT,
  requirement,
} from '../support/environment.ts';
import { type SpawnedServer, spawnServer } from '../support/spawn-server.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { auditPage } from './support/axe-audit.ts';

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));
const PASSWORD = 'correct horse battery staple';

describe.runIf(available)('signing in to a team server in the browser', () => {
  const dir = makeTempDir('mp-e2e-team-');
  let server: SpawnedServer;
  let browser: Browser;

  beforeAll(async () => {
    assertWebBuildCurrent();
    execFileSync(
      process.execPath,
      [
        join(REPO_ROOT, 'src', 'cli', 'main.ts'),
        'user',
        'add',
        'ada',
        '--role',
        'member',
        '--data-dir',
        dir.path,
      ],
      {
        input: `${PASSWORD}\n`,
        env: { ...process.env, ...isolatedEnvironment(dir.path) },
        stdio: ['pipe', 'ignore', 'inherit'],
      },
    );
    server = await spawnServer({ dataDir: dir.path, args: ['--team'] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    dir.remove();
  });

  it('signs in, works, survives a reload, shows who, and signs out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(STEP_LIMIT_MS);
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.getByRole('heading', { name: 'Sign in to ModelProgrammer' }).waitFor();

    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('.account-menu__who').textContent()).toBe('Signed in as ada (member)');

    // A write is an unsafe request: it only succeeds with the session's CSRF token.
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: '+ New conversation' })
      .click();
    await page.getByLabel('Message text').fill('Hello from ada');
    await page.getByLabel('Message text').press('Control+Enter');
    await page.locator('article.message-card').filter({ hasText: 'Hello from ada' }).waitFor();

    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'mp_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    await page.reload();
    await page.getByText('Signed in as').waitFor();
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
    expect(stored).not.toContain(cookie?.value ?? '');
    expect(stored).not.toMatch(/csrf/i);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to ModelProgrammer' }).waitFor();
    const answer = await page.evaluate(async () => (await fetch('/api/conversations')).status);
    expect(answer).toBe(401);
    await context.close();
  });

  it('has no serious accessibility finding on the sign-in screen (light, dark, 1280 and 400 px) nor signed in', async () => {
    const findings: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 400]) {
        const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme });
        context.setDefaultTimeout(STEP_LIMIT_MS);
        const page = await context.newPage();
        await page.goto(`http://127.0.0.1:${server.port}/`);
        await page.getByRole('heading', { name: 'Sign in to ModelProgrammer' }).waitFor();
        findings.push(...(await auditPage(page, `team sign-in @ ${width} ${colorScheme}`)));
        if (width === 1280) {
          await page.getByLabel('Username').fill('ada');
          await page.getByLabel('Password').fill(PASSWORD);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.getByText('Signed in as').waitFor();
          findings.push(...(await auditPage(page, `signed in @ ${width} ${colorScheme}`)));
        }
        await context.close();
      }
    }
    expect(findings, findings.join('\n')).toEqual([]);
  });
});
