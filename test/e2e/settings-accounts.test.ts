/**
 * The Settings page's Accounts section on a team server (issue 10 item 3), in a real headless Chromium: an admin
 * adds an account with a role, changes its role, resets its password and removes it (after confirming); the
 * section has no serious accessibility finding in either theme at 1280 and 400 px; a member sees no such section.
 * `MP_A11Y_SHOTS=/tmp` saves the section as /tmp/a11y-settings-accounts-<layout>.png.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
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
const SHOTS_DIR = process.env.MP_A11Y_SHOTS;

describe.runIf(available)('the Accounts section of the Settings page', () => {
  const dir = makeTempDir('mp-e2e-accounts-');
  let server: SpawnedServer;
  let browser: Browser;

  const addUser = (name: string, role: string) =>
    execFileSync(
      process.execPath,
      [join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'user', 'add', name, '--role', role, '--data-dir', dir.path],
      {
        input: `${PASSWORD}\n`,
        env: { ...process.env, ...isolatedEnvironment(dir.path) },
        stdio: ['pipe', 'ignore', 'inherit'],
      },
    );

  beforeAll(async () => {
    assertWebBuildCurrent();
    addUser('root', 'admin');
    addUser('mia', 'member');
    server = await spawnServer({ dataDir: dir.path, args: ['--team'] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    dir.remove();
  });

  async function signedInPage(
    username: string,
    viewport = { width: 1280, height: 800 },
    colorScheme = 'light',
  ) {
    const context = await browser.newContext({ viewport, colorScheme: colorScheme as 'light' | 'dark' });
    context.setDefaultTimeout(STEP_LIMIT_MS);
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as').waitFor();
    await page.goto(`http://127.0.0.1:${server.port}/?screen#/settings`);
    return { context, page };
  }

  const accounts = (page: Page) => page.getByRole('region', { name: 'Accounts' });
  const status = (page: Page) => accounts(page).getByRole('status');

  it('adds an account, changes its role, resets its password and removes it', async () => {
    const { context, page } = await signedInPage('root');
    const section = accounts(page);
    await section.getByRole('rowheader', { name: 'mia' }).waitFor();
    // The admin's own row offers no Remove.
    expect(await section.getByRole('button', { name: 'Remove root' }).count()).toBe(0);

    await section.getByLabel('Username').fill('Nora');
    await section.getByLabel('Password', { exact: true }).fill('short');
    await section.getByRole('button', { name: 'Add account' }).click();
    await status(page).filter({ hasText: 'the password is too short' }).waitFor();
    await section.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await section
      .getByRole('group', { name: 'Add an account' })
      .getByRole('combobox')
      .selectOption('reviewer');
    await section.getByRole('button', { name: 'Add account' }).click();
    await status(page).filter({ hasText: 'Added nora (reviewer).' }).waitFor();

    await section.getByLabel('Role of nora').selectOption('member');
    await status(page).filter({ hasText: 'nora is now a member.' }).waitFor();

    await section.getByRole('button', { name: 'Reset password of nora' }).click();
    await section.getByLabel('New password for nora').fill('another long passphrase');
    await section.getByRole('button', { name: 'Set password', exact: true }).click();
    await status(page).filter({ hasText: 'Set a new password for nora; their sessions ended.' }).waitFor();

    // The last admin cannot be demoted: the server's reason is shown, the role stays.
    await section.getByLabel('Role of root').selectOption('member');
    await status(page).filter({ hasText: 'root is the last admin' }).waitFor();
    expect(await section.getByLabel('Role of root').inputValue()).toBe('admin');

    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await section.getByRole('button', { name: 'Remove nora' }).click();
    expect(dialogs[0]).toMatch(/^Remove nora\?/);
    expect(await section.getByRole('rowheader', { name: 'nora' }).count()).toBe(1);
    page.once('dialog', (dialog) => void dialog.accept());
    await section.getByRole('button', { name: 'Remove nora' }).click();
    await status(page).filter({ hasText: 'Removed nora.' }).waitFor();
    await section.getByText('Removed: nora').waitFor();
    expect(await section.getByRole('rowheader', { name: 'nora' }).count()).toBe(0);
    await context.close();
  });

  it('shows no Accounts section to a member', async () => {
    const { context, page } = await signedInPage('mia');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page
      .getByText(/settings could not be read|Loading/)
      .first()
      .waitFor();
    expect(await accounts(page).count()).toBe(0);
    await context.close();
  });

  it('has no serious accessibility finding (light, dark, 1280 and 400 px)', async () => {
    const findings: string[] = [];
    for (const colorScheme of ['light', 'dark']) {
      for (const width of [1280, 400]) {
        const { context, page } = await signedInPage('root', { width, height: 800 }, colorScheme);
        await accounts(page).getByRole('rowheader', { name: 'mia' }).waitFor();
        await accounts(page).getByRole('button', { name: 'Reset password of mia' }).click();
        const label = `${width}-${colorScheme}`;
        findings.push(...(await auditPage(page, `settings accounts @ ${label}`)));
        if (SHOTS_DIR !== undefined) {
          await accounts(page).screenshot({ path: join(SHOTS_DIR, `a11y-settings-accounts-${label}.png`) });
        }
        await context.close();
      }
    }
    expect(findings, findings.join('\n')).toEqual([]);
  });
});
