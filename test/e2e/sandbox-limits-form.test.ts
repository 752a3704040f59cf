/**
 * Issue 7 item 6 in the browser: a conversation's sandbox limits are set in its settings form (Model ▾), kept
 * across a reload, refused beside their field when out of bounds (by the page's copy of the server's schema,
 * and when the server refuses), and a command that ran into a limit says so under its output.
 * `MP_LIMITS_SHOTS=/tmp` saves the form at 1280 and 400 px as `/tmp/limits-<width>.png` for a person to look at.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
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
import { auditPage } from './support/axe-audit.ts';

const hasChromium = requirement('chromium', hasExecutable(CHROMIUM_PATH));
const hasBwrap = requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));
const SHOTS = process.env.MP_LIMITS_SHOTS;

interface ConversationBody {
  id: string;
  settings: { limits?: Record<string, number | null> };
}

describe.runIf(hasChromium)('sandbox limits in the conversation settings', () => {
  let server: RunningServer;
  let browser: Browser;
  let call: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    assertWebBuildCurrent();
    server = await startServer();
    browser = await launchBrowser();
    call = apiClient(server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openSettings(page: Page, id: string) {
    await page.goto(`${server.origin}/#/c/${id}`);
    await page.getByRole('button', { name: /^Model: / }).click();
    const form = page.getByRole('form', { name: 'Model and workspace settings' });
    await form.waitFor();
    return form;
  }

  it('saves a memory limit with the rest of the form, keeps it over a reload, and refuses a bad value beside its field', async () => {
    const { id } = await call<ConversationBody>('POST', '/api/conversations', { title: 'Limits' });
    const { page, context, problems } = await openSignedIn(browser, server);
    let form = await openSettings(page, id);
    const memory = form.getByLabel('Memory in MiB');
    expect(await memory.getAttribute('placeholder')).toBe('default: 2048');
    expect(await form.getByLabel('CPU time in seconds').getAttribute('placeholder')).toBe('default: none');

    await memory.fill('64');
    await form.getByLabel('Startup script').fill('export SAVED_WITH_LIMITS=1');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    const saved = await call<ConversationBody & { startupScript: string }>('GET', `/api/conversations/${id}`);
    expect(saved.settings.limits).toEqual({ memoryMiB: 64 });
    expect(saved.startupScript).toBe('export SAVED_WITH_LIMITS=1');

    await page.reload();
    form = await openSettings(page, id);
    expect(await form.getByLabel('Memory in MiB').inputValue()).toBe('64');
    expect(await form.getByLabel('Processes in processes').inputValue()).toBe('');

    if (SHOTS !== undefined) await form.screenshot({ path: join(SHOTS, 'limits-1280.png') });

    // Below the schema's floor: refused on the page, beside the field, which takes the keyboard; nothing is sent.
    const processes = form.getByLabel('Processes in processes');
    await processes.fill('4');
    await form.getByRole('button', { name: 'Save' }).click();
    const error = form.locator('.limits-field.has-error');
    await eventually(() => error.textContent()).toContain('at least 8 processes');
    expect(await processes.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await processes.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent()).toBe(
      'at least 8 processes',
    );
    await eventually(() => processes.evaluate((element) => element === document.activeElement)).toBe(true);
    if (SHOTS !== undefined) await form.screenshot({ path: join(SHOTS, 'limits-1280-refused.png') });
    expect((await call<ConversationBody>('GET', `/api/conversations/${id}`)).settings.limits).toEqual({
      memoryMiB: 64,
    });

    // A refusal the server names a limit in is shown beside that limit too, not only as a toast.
    await processes.fill('');
    await form.getByLabel('CPU share in CPUs').fill('1.5');
    await page.route(`**/api/conversations/${id}`, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({
              error: {
                code: 'invalid_request',
                message: 'limits.cpus: more CPUs than this machine has',
                field: 'limits.cpus',
              },
            }),
          })
        : route.fallback(),
    );
    await form.getByRole('button', { name: 'Save' }).click();
    await eventually(() => error.textContent()).toContain('more CPUs than this machine has');
    expect(await form.getByLabel('CPU share in CPUs').getAttribute('aria-invalid')).toBe('true');
    await page.unroute(`**/api/conversations/${id}`);

    // Emptying every field puts the defaults back.
    await form.getByLabel('CPU share in CPUs').fill('');
    await form.getByLabel('Memory in MiB').fill('');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'detached' });
    expect((await call<ConversationBody>('GET', `/api/conversations/${id}`)).settings.limits).toEqual({});

    expect(problems.filter((problem) => !problem.includes('400'))).toEqual([]);
    await context.close();
  });

  it.each(['light', 'dark'] as const)(
    'passes axe on a narrow screen in %s, the form open and a field refused',
    async (colorScheme) => {
      const { id } = await call<ConversationBody>('POST', '/api/conversations', { title: 'Narrow' });
      await call('PATCH', `/api/conversations/${id}`, { limits: { memoryMiB: 64 } });
      const { page, context } = await openSignedIn(browser, server, {
        viewport: { width: 400, height: 1400 },
        colorScheme,
      });
      const form = await openSettings(page, id);
      if (SHOTS !== undefined) await form.screenshot({ path: join(SHOTS, `limits-400-${colorScheme}.png`) });
      await form.getByLabel('Processes in processes').fill('4');
      await form.getByRole('button', { name: 'Save' }).click();
      await form.getByText('at least 8 processes').waitFor();
      if (SHOTS !== undefined)
        await form.screenshot({ path: join(SHOTS, `limits-400-${colorScheme}-refused.png`) });
      expect(await auditPage(page, `limits form, refused field, 400 px ${colorScheme}`)).toEqual([]);
      await context.close();
    },
  );

  it.runIf(hasBwrap)('names the limit a command ran into under its output', async () => {
    const { id } = await call<ConversationBody>('POST', '/api/conversations', { title: 'Hit a limit' });
    await call('PATCH', `/api/conversations/${id}`, { sandbox: 'bwrap', limits: { fileSizeMiB: 1 } });
    const written = await call<{ id: string }>('POST', `/api/conversations/${id}/messages`, {
      role: 'assistant',
      content: 'head -c 3M /dev/zero > big.bin',
    });
    const { proposals } = await call<{ proposals: { id: string }[] }>(
      'POST',
      `/api/messages/${written.id}/propose`,
      {},
    );
    const ran = await call<{ id: string }>('POST', `/api/proposals/${proposals[0]!.id}/run`, {});
    // The execution keeps the limit as data, and the page names it from there, not from the result's text.
    await eventually(
      async () => (await call<{ limitHit: unknown }>('GET', `/api/executions/${ran.id}`)).limitHit,
    ).toEqual({
      limit: 'file-size',
      value: '1 MiB',
      message: expect.stringContaining("the sandbox's file size limit (1 MiB) was reached"),
    });

    const { page, context, problems } = await openSignedIn(browser, server);
    await page.goto(`${server.origin}/#/c/${id}`);
    const proposed = page.getByRole('group', { name: 'Proposed command 1' });
    const notice = proposed.getByTestId('limit-hit');
    await eventually(() => notice.textContent()).toContain(
      "the sandbox's file size limit (1 MiB) was reached",
    );
    expect(await notice.textContent()).toContain('Raise “File size” under Model ▾ › Sandbox limits.');
    if (SHOTS !== undefined) await proposed.screenshot({ path: join(SHOTS, 'limits-hit.png') });
    expect(problems).toEqual([]);
    await context.close();
  });
});
