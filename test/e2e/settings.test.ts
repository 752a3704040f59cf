/**
 * Issue 3's Settings page in a real headless Chromium against the real server (in this process, so its config
 * dir and environment are the test's own): add an OpenAI-compatible provider pointing at a scripted local
 * server, type its key, make it the default, save, reload and find it kept with "key set" and no key anywhere
 * the browser could see; then a bad base URL refused next to its field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireServer, type WireServer } from '../providers/support/wire-server.ts';
import {
  assertWebBuildCurrent,
  eventually,
  launchBrowser,
  openSignedIn,
  type RunningServer,
} from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));

const TYPED_KEY = 'sk-typed-in-the-page-4f1c9';
const ENV_KEY = 'vllm-key-from-the-environment-77a2';
const MODEL = 'scripted-coder';

/** Everything the page was sent by the API, so a key in any answer (not only the rendered HTML) is caught. */
function recordApiAnswers(page: Page): string[] {
  const bodies: string[] = [];
  page.on('response', async (response) => {
    if (!new URL(response.url()).pathname.startsWith('/api/')) return;
    bodies.push(await response.text().catch(() => ''));
  });
  return bodies;
}

function providerCard(page: Page, id: string): Locator {
  return page.getByRole('listitem', { name: `Provider ${id}` });
}

/** What the first test saves through the page; the others start from it even when run alone. */
async function saveScriptedProvider(app: TestApp, wire: WireServer): Promise<void> {
  const response = await app.api('PUT', '/api/settings', {
    defaults: { provider: 'scripted', model: MODEL },
    providers: {
      scripted: { type: 'openai-compatible', preset: 'vllm', baseUrl: `${wire.url}/v1`, apiKey: TYPED_KEY },
    },
  });
  expect(response.status).toBe(200);
}

const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);

describe.runIf(available)('the Settings page in a browser', () => {
  let wire: WireServer;
  let app: TestApp;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    assertWebBuildCurrent();
    wire = await startWireServer(() => ({
      chunks: [JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model' }] })],
    }));
    app = await startTestApp({ env: { VLLM_API_KEY: ENV_KEY, OLLAMA_HOST: 'http://127.0.0.1:9' } });
    server = {
      signInUrl: `${app.baseUrl}/?token=${app.token}`,
      origin: app.baseUrl,
      token: app.token,
      dataDir: app.dataDir,
      stop: () => app.close(),
    };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await wire?.close();
  });

  it('adds a provider with a key, makes it the default, keeps it across a reload without ever showing the key', async () => {
    const { page, context, problems } = await openSignedIn(browser, server);
    const answers = recordApiAnswers(page);

    // From the sidebar, by keyboard.
    const link = page.getByRole('link', { name: 'Settings' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/settings');
    expect(await link.getAttribute('aria-current')).toBe('page');

    await page.getByText(join(app.dataDir, 'config', 'config.json')).waitFor();
    const variables = page.getByRole('list', { name: "Key variables in the server's environment" });
    await eventually(() => variables.getByRole('listitem').allTextContents()).toContain('✓ VLLM_API_KEY set');
    expect(await variables.getByRole('listitem').allTextContents()).toContain('✗ OPENAI_API_KEY not set');
    await page.getByText('No providers in the config file yet.').waitFor();

    await page.getByRole('button', { name: '+ Add provider' }).click();
    const id = page.getByLabel('Id', { exact: true });
    await eventually(() => isFocused(id)).toBe(true);
    await id.fill('scripted');
    expect(await page.getByLabel('Type').inputValue()).toBe('openai-compatible');
    await page.getByLabel('Preset').selectOption('vllm');
    await page.getByLabel('Base URL').fill(`${wire.url}/v1`);
    const key = page.getByLabel('API key');
    expect(await key.getAttribute('type')).toBe('password');
    await key.fill(TYPED_KEY);
    // Done folds the fields back into a summary and gives the keyboard back to Edit; nothing is saved yet.
    await page.getByRole('button', { name: 'Done' }).click();
    const card = providerCard(page, 'scripted');
    await card.getByText('new key, written on Save').waitFor();
    await card.getByText('not saved yet').waitFor();
    await eventually(() => isFocused(card.getByRole('button', { name: 'Edit scripted' }))).toBe(true);

    await page.getByLabel('Provider', { exact: true }).selectOption('scripted');
    await page.getByLabel('Model', { exact: true }).fill(MODEL);
    await page.getByLabel('Temperature').fill('0.3');
    await page.getByLabel('Max output tokens').fill('2048');
    await page.getByText('Unsaved changes.').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. New turns use these settings.').waitFor();

    const file = JSON.parse(readFileSync(join(app.dataDir, 'config', 'config.json'), 'utf8'));
    expect(file).toEqual({
      defaults: { provider: 'scripted', model: MODEL, temperature: 0.3, maxOutputTokens: 2048 },
      providers: {
        scripted: {
          type: 'openai-compatible',
          preset: 'vllm',
          baseUrl: `${wire.url}/v1`,
          apiKey: TYPED_KEY,
          // The key is bound to the address it was typed for (issue 7 item 7).
          apiKeyBaseUrl: `${wire.url}/v1`,
        },
      },
    });
    // The server now asks the scripted server with the typed key, and the page says it answers.
    await card.getByText(`✓ answers · ${MODEL}`).waitFor();
    expect(wire.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TYPED_KEY}`);

    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await card.getByText('key set in the config file').waitFor();
    await card.getByText(`✓ answers · ${MODEL}`).waitFor();
    await card.getByText(`${wire.url}/v1`).waitFor();
    await card.getByText('openai-compatible · vllm').waitFor();
    expect(await page.getByLabel('Provider', { exact: true }).inputValue()).toBe('scripted');
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe(MODEL);
    expect(await page.getByLabel('Temperature').inputValue()).toBe('0.3');
    expect(await page.getByLabel('Max output tokens').inputValue()).toBe('2048');
    const defaults = page.getByRole('region', { name: 'Defaults for new turns' });
    await defaults.getByText(`OpenAI-compatible server (scripted): ✓ answers · ${MODEL}`).waitFor();

    await card.getByRole('button', { name: 'Edit scripted' }).click();
    await eventually(() => isFocused(page.getByLabel('Preset'))).toBe(true);
    expect(await key.inputValue()).toBe('');
    expect(await key.getAttribute('placeholder')).toBe('key set — type to replace');

    const html = await page.content();
    for (const secret of [TYPED_KEY, ENV_KEY]) {
      expect(html).not.toContain(secret);
      expect(answers.join('\n')).not.toContain(secret);
    }
    expect(answers.length).toBeGreaterThan(3);

    // The saved key can be removed again; the file then holds none.
    await page.getByLabel(/Remove the saved key on Save/).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(
      () =>
        JSON.parse(readFileSync(join(app.dataDir, 'config', 'config.json'), 'utf8')).providers.scripted
          .apiKey,
    ).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a refused base URL next to its field and keeps the saved config', async () => {
    await saveScriptedProvider(app, wire);
    const { page, context, problems } = await openSignedIn(browser, server);
    await page.goto(`${server.origin}/#/settings`);
    const card = providerCard(page, 'scripted');
    await card.getByRole('button', { name: 'Edit scripted' }).click();
    const before = readFileSync(join(app.dataDir, 'config', 'config.json'), 'utf8');

    const baseUrl = page.getByLabel('Base URL');
    await baseUrl.fill('not a url');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Not saved: providers.scripted.baseUrl: Invalid URL').waitFor();
    await eventually(() => baseUrl.getAttribute('aria-invalid')).toBe('true');
    const error = card.locator('.settings-field', { has: baseUrl }).locator('.settings-field__error');
    expect(await error.textContent()).toBe('Invalid URL');
    // The error is read with the field, and the keyboard is taken there.
    const describedBy = (await baseUrl.getAttribute('aria-describedby')) ?? '';
    expect(describedBy.split(' ')).toContain(await error.getAttribute('id'));
    await eventually(() => isFocused(baseUrl)).toBe(true);
    expect(readFileSync(join(app.dataDir, 'config', 'config.json'), 'utf8')).toBe(before);

    await page.getByRole('button', { name: 'Discard changes' }).click();
    await card.getByText(`${wire.url}/v1`).waitFor();
    await eventually(() => page.getByText('Unsaved changes.').count()).toBe(0);
    // Chromium logs the 400 itself; nothing else may have gone wrong.
    expect(problems.filter((problem) => !problem.includes('status of 400'))).toEqual([]);
    await context.close();
  });

  it('opens from the drawer at 400 px wide, closes the drawer, and fits the width', async () => {
    await saveScriptedProvider(app, wire);
    const { page, context } = await openSignedIn(browser, server, { viewport: { width: 400, height: 800 } });
    await page.getByRole('button', { name: 'Show conversations' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await eventually(() => page.locator('#sidebar').getAttribute('class')).toBe('sidebar');
    await providerCard(page, 'scripted').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: 'Back to conversations' }).click();
    await page.getByText('No conversations yet.').first().waitFor();
    await context.close();
  });

  it('keeps the full width at 1280 px when the sidebar is hidden', async () => {
    const { page, context } = await openSignedIn(browser, server);
    await page.goto(`${server.origin}/#/settings`);
    await page.getByRole('button', { name: 'Hide conversations' }).click();
    await eventually(() => page.locator('#sidebar').isVisible()).toBe(false);
    const main = page.getByRole('main', { name: 'Settings' });
    expect((await main.boundingBox())?.width).toBe(1280);
    await context.close();
  });
});
