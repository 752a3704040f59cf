/**
 * Issue 3 in a real headless Chromium against a scripted OpenAI-compatible server: an answer streams in
 * token by token (the server holds the rest until the test lets it go), Stop keeps what arrived, Retry and the
 * sibling arrows, the recorded call in the inspector, and an unchecked message vanishing from the preview.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_PROMPT } from '../../src/core/context/default-system-prompt.ts';
import { eventually, openSignedIn } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { type ScriptedBrowserApp, startScriptedBrowserApp } from './support/browser-app.ts';
import { type ChatHandler, gate, lastMessage, SCRIPTED_MODEL_ID } from './support/scripted-model.ts';

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));

function card(page: Page, text: string): Locator {
  return page.locator('article.message-card').filter({ hasText: text });
}

async function send(page: Page, text: string) {
  await page.getByLabel('Role and author').selectOption({ label: 'User (human)' });
  await page.getByLabel('Message text').fill(text);
  await page.getByLabel('Send to model').check();
  await page.getByRole('button', { name: 'Send to model' }).click();
  await eventually(() => page.getByLabel('Message text').inputValue()).toBe('');
}

describe.runIf(available)('a model in the browser', () => {
  let app: ScriptedBrowserApp;
  let answer: ChatHandler = () => Promise.reject(new Error('no answer scripted'));

  beforeAll(async () => {
    app = await startScriptedBrowserApp((request, reply) => answer(request, reply));
  });
  afterAll(() => app?.close());

  it('streams, stops, retries as a sibling, shows the call, and drops an unchecked message from the preview', async () => {
    const { model } = app;
    const id = await app.scriptedConversation('Streaming');
    const { page, context, problems } = await app.openConversation(id);

    // 1. Token by token: the first words are on screen while the server still holds the rest.
    const rest = gate();
    answer = async (_request, reply) => {
      await reply.text('Hello');
      await reply.text(', partial');
      await rest.opened;
      await reply.text(' and the rest.');
      await reply.finish();
    };
    await send(page, 'Say hello');
    const streaming = card(page, 'Hello, partial');
    await streaming.waitFor();
    await streaming.getByText('streaming…').waitFor();
    expect(await streaming.textContent()).not.toContain('the rest');
    await streaming.getByRole('button', { name: 'Stop' }).waitFor();
    rest.open();
    const answered = card(page, 'Hello, partial and the rest.');
    await answered.waitFor();
    await eventually(() => answered.getByText('streaming…').count()).toBe(0);
    expect(await answered.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    // A new conversation starts with the default system prompt (issue 8 item 7), sent before the path.
    expect((await model.chat(0)).messages).toEqual([
      expect.objectContaining({ role: 'system', content: DEFAULT_SYSTEM_PROMPT }),
      expect.objectContaining({ role: 'user', content: 'Say hello' }),
    ]);

    // 2. Stop: the stream stays open until the person stops it; what arrived is kept, marked stopped.
    answer = async (_request, reply) => {
      await reply.text('Half an ans');
      await reply.closed;
    };
    await send(page, 'Tell me more');
    const held = card(page, 'Half an ans');
    await held.getByRole('button', { name: 'Stop' }).click();
    await held.getByText('stopped', { exact: true }).waitFor();
    expect(await held.locator('.message-card__content').textContent()).toBe('Half an ans');
    expect(await held.getByRole('button', { name: 'Stop' }).count()).toBe(0);

    // 3. Retry adds a sibling answer; the arrows switch between the two.
    answer = async (_request, reply) => {
      await reply.text('A second, complete answer.');
      await reply.finish();
    };
    await held.getByRole('button', { name: 'Retry' }).click();
    const second = card(page, 'A second, complete answer.');
    await second.getByText('2/2').waitFor();
    await second.getByRole('button', { name: 'Previous branch' }).click();
    await card(page, 'Half an ans').getByText('1/2').waitFor();
    await card(page, 'Half an ans').getByRole('button', { name: 'Next branch' }).click();
    await card(page, 'A second, complete answer.').getByText('2/2').waitFor();
    expect(model.chats).toHaveLength(3);

    // 4. Inspect: the exact request as sent, and the usage the server reported.
    await answered.getByRole('button', { name: 'Inspect' }).click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await inspector.getByRole('heading', { name: 'Model call' }).waitFor();
    await eventually(() => inspector.getByRole('region', { name: 'Request JSON' }).textContent()).toContain(
      '"content": "Say hello"',
    );
    await inspector.getByText('21 in, 9 out').waitFor();

    // 5. Preview: what would be sent now; an unchecked message vanishes from it, and the meter goes down.
    const meter = page.locator('.token-meter__text');
    await eventually(() => meter.textContent()).toMatch(/tokens \(estimate\)/);
    await page.getByRole('button', { name: 'Preview request' }).click();
    await inspector.getByRole('heading', { name: 'Next request (preview)' }).waitFor();
    const previewJson = inspector.getByRole('region', { name: 'Request preview JSON' });
    await eventually(() => previewJson.textContent()).toContain('Say hello');
    const before = await page.getByTestId('preview-tokens').textContent();
    await card(page, 'Say hello').getByLabel('Send').uncheck();
    await eventually(() => previewJson.textContent()).not.toContain('Say hello');
    expect(await previewJson.textContent()).toContain('Tell me more');
    await eventually(() => page.getByTestId('preview-tokens').textContent()).not.toBe(before);

    expect(problems).toEqual([]);
    await context.close();
  });

  it('says how to connect a model when none is, and connects one from the banner', async () => {
    const { call, model, server, browser } = app;
    const conversation = await call<{ id: string }>('POST', '/api/conversations', { title: 'No model' });
    const { page, context, problems } = await openSignedIn(browser, server);
    await page.goto(`${server.origin}/#/c/${conversation.id}`);
    const banner = page.locator('.no-model-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/OPENAI_API_KEY/);
    await page.locator('.token-meter').getByText('no model connected').waitFor();

    // The banner's button opens the model settings right there.
    await banner.getByRole('button', { name: 'Choose a model for this conversation' }).click();
    const form = page.getByRole('form', { name: 'Model and workspace settings' });
    await form.getByLabel('Provider').selectOption('openai-compatible');
    await form.getByLabel('Base URL').fill(model.baseUrl);
    await form.getByLabel('Model', { exact: true }).fill(SCRIPTED_MODEL_ID);
    await form.getByLabel('Temperature').fill('0.2');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: /^Model: openai-compatible · scripted/ }).waitFor();
    expect(await banner.count()).toBe(0);
    const stored = await call<{ settings: Record<string, unknown> }>(
      'GET',
      `/api/conversations/${conversation.id}`,
    );
    expect(stored.settings).toEqual({
      provider: 'openai-compatible',
      baseUrl: model.baseUrl,
      model: SCRIPTED_MODEL_ID,
      temperature: 0.2,
      systemPrompt: DEFAULT_SYSTEM_PROMPT,
    });
    answer = async (request, reply) => {
      await reply.text(`Echo: ${lastMessage(request).content}`);
      await reply.finish();
    };
    await send(page, 'Now there is a model');
    await card(page, 'Echo: Now there is a model').waitFor();
    expect(model.chats.at(-1)).toMatchObject({ temperature: 0.2 });

    expect(problems).toEqual([]);
    await context.close();
  });
});
