/**
 * Issue 8 item 7 in a real headless Chromium against a scripted model: a selected range is summarized by the
 * model into one summary card (its originals stay, unchecked), "Show originals" and "Undo summary" work; the
 * system prompt form shows the default prompt and saves auto-compact; the message editor cuts a selection
 * with one of the original app's phrases; the person writes a summary of a range themselves.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_PROMPT } from '../../src/core/context/default-system-prompt.ts';
import { SUMMARY_INSTRUCTION } from '../../src/core/context/summary-request.ts';
import { eventually } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { type ScriptedBrowserApp, startScriptedBrowserApp } from './support/browser-app.ts';
import { lastMessage } from './support/scripted-model.ts';

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));
const shots = process.env.MP_CONTEXT_SHOTS;

function card(page: Page, text: string): Locator {
  return page.locator('article.message-card').filter({ hasText: text });
}

describe.runIf(available)('a context that stays useful, in the browser', () => {
  let app: ScriptedBrowserApp;

  beforeAll(async () => {
    app = await startScriptedBrowserApp(async (request, reply) => {
      const asked = lastMessage(request).content;
      await reply.text(asked === SUMMARY_INSTRUCTION ? 'Summary of earlier work: listed the files.' : 'ok');
      await reply.finish();
    });
  });
  afterAll(() => app?.close());

  async function conversationWith(
    title: string,
    messages: { role: string; content: string; author?: string }[],
  ) {
    const id = await app.scriptedConversation(title);
    for (const message of messages) await app.call('POST', `/api/conversations/${id}/messages`, message);
    return id;
  }

  it('summarizes a selected range, shows the summary as such, shows its originals, and undoes it', async () => {
    const id = await conversationWith('Summarize', [
      { role: 'user', content: 'Fix the failing test' },
      { role: 'assistant', content: 'Let me list the files' },
      { role: 'user', author: 'terminal', content: 'a.txt' },
      { role: 'user', content: 'What now?' },
    ]);
    const { page, context, problems } = await app.openConversation(id);
    await card(page, 'What now?').waitFor();

    await card(page, 'Let me list the files').getByLabel('Select', { exact: true }).check();
    await card(page, 'a.txt')
      .locator('.message-card__meta')
      .click({ modifiers: ['Shift'] });
    const bar = page.getByRole('region', { name: 'Selected messages' });
    await bar.getByText('2 selected').waitFor();
    await bar.getByRole('button', { name: 'Summarize' }).click();

    const summary = card(page, 'Summary of earlier work');
    await summary.getByText('Summary of 2 messages').waitFor();
    const sendBox = (text: string) => card(page, text).getByRole('checkbox', { name: /Send/ });
    await eventually(() => sendBox('Let me list the files').isChecked()).toBe(false);
    expect(await sendBox('a.txt').isChecked()).toBe(false);
    expect(await sendBox('Summary of earlier work').isChecked()).toBe(true);
    expect((await app.model.chat(0)).messages.at(-1)?.content).toBe(SUMMARY_INSTRUCTION);
    if (shots) await page.screenshot({ path: `${shots}/summary.png`, fullPage: true });

    await summary.getByRole('button', { name: 'Show originals' }).click();
    await eventually(() =>
      card(page, 'Let me list the files').evaluate((element) => element.classList.contains('is-highlighted')),
    ).toBe(true);

    await summary.getByRole('button', { name: 'Undo summary' }).click();
    await eventually(() => sendBox('Summary of earlier work').isChecked()).toBe(false);
    expect(await sendBox('Let me list the files').isChecked()).toBe(true);
    expect(await sendBox('a.txt').isChecked()).toBe(true);
    expect(await summary.getByRole('button', { name: 'Undo summary' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('edits the system prompt with auto-compact, cuts a selection with a canned phrase, and takes a written summary', async () => {
    const id = await conversationWith('Prompt', [
      { role: 'user', content: 'npm test\nline 1\nline 2\ndone' },
    ]);
    const { page, context, problems } = await app.openConversation(id);

    await page.getByRole('button', { name: /^System prompt/ }).click();
    const form = page.getByRole('form', { name: 'System prompt' });
    const text = form.getByLabel('System prompt', { exact: true });
    await eventually(() => text.inputValue()).toBe(DEFAULT_SYSTEM_PROMPT);
    await form.getByLabel('Start from').selectOption({ label: '(the text below)' });
    await text.fill('Be terse.');
    await form.getByRole('checkbox', { name: /Auto-compact/ }).check();
    if (shots) await page.screenshot({ path: `${shots}/system-prompt.png`, fullPage: true });
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'System prompt · auto-compact ▾' }).waitFor();
    const saved = await app.call<{ settings: { systemPrompt?: string; autoCompact?: boolean } }>(
      'GET',
      `/api/conversations/${id}`,
    );
    expect(saved.settings).toMatchObject({ systemPrompt: 'Be terse.', autoCompact: true });

    await card(page, 'npm test').getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByLabel(/^Edit .* message$/);
    await editor.evaluate((element: HTMLTextAreaElement) => {
      const start = element.value.indexOf('line 1');
      element.setSelectionRange(start, element.value.indexOf('done'));
    });
    await page
      .getByLabel('Replace the selected text with a phrase')
      .selectOption({ label: '[… N lines removed …]' });
    await eventually(() => editor.inputValue()).toBe('npm test\n[… 2 lines removed …]\ndone');
    await page.getByRole('button', { name: /Save/ }).click();
    await card(page, '[… 2 lines removed …]').waitFor();

    // The person writes a summary of a range themselves: no model call, the original kept unchecked.
    const chatsBefore = app.model.chats.length;
    await card(page, '[… 2 lines removed …]').getByLabel('Select', { exact: true }).check();
    await page
      .getByRole('region', { name: 'Selected messages' })
      .getByRole('button', { name: 'Write summary…' })
      .click();
    const writer = page.getByRole('region', { name: 'Write a summary' });
    await writer.getByRole('textbox').fill('My own summary: the tests were run.');
    await writer.getByRole('button', { name: /Save summary/ }).click();
    const mine = card(page, 'My own summary');
    await mine.getByText('Summary of 1 message').waitFor();
    await eventually(() =>
      card(page, '[… 2 lines removed …]').getByRole('checkbox', { name: /Send/ }).isChecked(),
    ).toBe(false);
    expect(await writer.count()).toBe(0);
    expect(app.model.chats.length).toBe(chatsBefore);
    expect(problems).toEqual([]);
    await context.close();
  });
});
