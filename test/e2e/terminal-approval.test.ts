/**
 * Issue 4 in a real headless Chromium, with a real bwrap sandbox and a scripted model: a proposed command is
 * edited in its card, runs, its output streams in with its colours, and the model answers the output; a
 * rejection goes back to the model as such; a person's own command and an assistant message a person wrote
 * run too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type OpenedPage } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { type ScriptedBrowserApp, startScriptedBrowserApp } from './support/browser-app.ts';
import { proposingModel } from './support/scripted-model.ts';

const available =
  requirement('chromium', hasExecutable(CHROMIUM_PATH)) &&
  requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));

function card(page: Page, text: string): Locator {
  return page.locator('article.message-card').filter({ hasText: text });
}

describe.runIf(available)('the terminal in the browser', () => {
  let app: ScriptedBrowserApp;
  /** What the scripted model proposes next; once a tool result arrives it answers "Seen: <result>". */
  let proposal = 'true';

  beforeAll(async () => {
    app = await startScriptedBrowserApp(proposingModel(() => proposal));
  });
  afterAll(() => app?.close());

  async function openConversation(title: string): Promise<OpenedPage & { id: string }> {
    const id = await app.scriptedConversation(title);
    return { ...(await app.openConversation(id)), id };
  }

  async function send(page: Page, text: string) {
    await page.getByLabel('Message text').fill(text);
    await page.getByLabel('Send to model').check();
    await page.getByRole('button', { name: 'Send to model' }).click();
    await eventually(() => page.getByLabel('Message text').inputValue()).toBe('');
  }

  it('runs an edited proposal, streams its coloured output, and the model answers it', async () => {
    proposal = 'echo proposed-output';
    const { page, context, problems, id } = await openConversation('Approve');
    await send(page, 'Print something');

    const proposed = page.getByRole('group', { name: 'Proposed command 1' });
    await proposed.getByText('proposed', { exact: true }).waitFor();
    const command = proposed.getByRole('textbox', { name: 'Command 1' });
    expect(await command.inputValue()).toBe('echo proposed-output');
    await card(page, 'Print something').waitFor();
    expect(await page.locator('.tool-call__arguments').textContent()).toBe('echo proposed-output');

    // The edited command prints, then waits for a file the test creates: the output is seen while it runs.
    const workspace = join(app.server.dataDir, 'workspaces', id);
    await command.fill(
      "printf '\\033[32mgreen\\033[0m\\n'; echo edited-output; while [ ! -e release ]; do sleep 0.05; done; echo released",
    );
    await proposed.getByText('Edited: the model will see what you ran.').waitFor();
    await proposed.getByRole('button', { name: /Run/ }).click();
    const output = proposed.getByRole('log');
    await eventually(() => output.textContent()).toContain('edited-output');
    await proposed.getByText('running', { exact: true }).waitFor();
    await proposed.getByRole('button', { name: 'Interrupt' }).waitFor();
    expect(await output.textContent()).not.toContain('released');
    const green = output.locator('span', { hasText: 'green' });
    expect(await green.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(95, 208, 104)');

    writeFileSync(join(workspace, 'release'), '');
    await proposed.getByText('completed', { exact: true }).waitFor();
    await eventually(() => output.textContent()).toContain('released');
    await proposed.getByText('exit code 0').waitFor();
    expect(await proposed.getByRole('button', { name: 'Interrupt' }).count()).toBe(0);
    await proposed.getByText('Edited before running; as proposed:').waitFor();

    // The output went back as the tool result, and the model's answer to it follows.
    // The model is told the person changed its command (issue 7, item 8).
    const reply = card(page, 'Seen: The person edited your command before running it');
    await reply.waitFor();
    expect(await reply.textContent()).toContain('released');
    const toolMessage = (await app.model.chat(1)).messages.at(-1);
    expect(toolMessage).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(toolMessage?.content).toContain('edited-output');
    expect(toolMessage?.content).toMatch(
      /^The person edited your command before running it; what ran was:\n```\nprintf/,
    );
    expect(toolMessage?.content).not.toContain('\u001b[');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends a rejection back to the model as such, with the reason', async () => {
    // A right-to-left override hides in the text box; the card marks it (issue 7 item 7) and keeps it in the text.
    proposal = 'rm -rf build #\u202e keep';
    const { page, context, problems } = await openConversation('Reject');
    const chatsBefore = app.model.chats.length;
    await send(page, 'Clean up');
    const proposed = page.getByRole('group', { name: 'Proposed command 1' });
    await proposed.getByText(/contains 1 invisible or direction-changing character/).waitFor();
    expect(await proposed.locator('mark.hidden-character').getAttribute('title')).toBe(
      'U+202E RIGHT-TO-LEFT OVERRIDE',
    );
    expect(await proposed.getByRole('textbox').inputValue()).toBe(proposal);
    await proposed.getByRole('button', { name: 'Reject…' }).click();
    await proposed.getByLabel('Reason for rejecting').fill('keep the build');
    await proposed.getByLabel('Reason for rejecting').press('Enter');
    await proposed.getByText('rejected', { exact: true }).waitFor();
    await proposed.getByText('Rejected: keep the build').waitFor();
    expect(await proposed.getByRole('textbox').count()).toBe(0);

    await card(page, 'rejected by the user: keep the build').first().waitFor();
    await card(page, 'Seen: rejected by the user: keep the build').waitFor();
    expect((await app.model.chat(chatsBefore + 1)).messages.at(-1)).toMatchObject({
      role: 'tool',
      content: 'rejected by the user: keep the build',
    });

    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the real workspace, and runs the startup script set in the conversation’s settings', async () => {
    const { page, context, problems, id } = await openConversation('Startup');
    await eventually(() => page.getByTestId('workspace-path').textContent()).toContain(id.slice(-12));
    await page.getByRole('option', { name: /bwrap sandbox \(automatic\)/ }).waitFor({ state: 'attached' });

    await page.getByRole('button', { name: /^Model: openai-compatible/ }).click();
    await page.getByLabel('Startup script').fill('export FROM_STARTUP=it-ran && cd /tmp');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByLabel('Startup script').waitFor({ state: 'detached' });
    const stored = await app.call<{ startupScript: string }>('GET', `/api/conversations/${id}`);
    expect(stored.startupScript).toBe('export FROM_STARTUP=it-ran && cd /tmp');

    await page.getByLabel('Role and author').selectOption({ label: 'Run a command' });
    await page.getByLabel('Message text').fill('echo "$FROM_STARTUP in $(pwd)"');
    await page.getByRole('button', { name: 'Run command' }).click();
    await card(page, 'it-ran in /tmp').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('runs a command the person types, and an assistant message a person wrote', async () => {
    const { page, context, problems } = await openConversation('By hand');
    await page.getByLabel('Role and author').selectOption({ label: 'Run a command' });
    await page
      .getByLabel('Message text')
      .fill('cd /tmp && export MARK=typed-by-hand && echo "$MARK in $(pwd)"');
    await page.getByRole('button', { name: 'Run command' }).click();
    await card(page, 'typed-by-hand in /tmp').waitFor();
    expect(await card(page, 'typed-by-hand in /tmp').getAttribute('aria-label')).toBe(
      'User · Terminal message',
    );

    // The original app's flow: write the assistant's turn, then Run it; the shell kept cwd and variables.
    await page.getByLabel('Role and author').selectOption({ label: 'Assistant' });
    await page.getByLabel('Message text').fill('echo "still $MARK in $(pwd)"');
    await page.getByRole('button', { name: 'Add as Assistant' }).click();
    const written = card(page, 'still $MARK');
    await written.getByRole('button', { name: 'Run' }).click();
    const proposed = page.getByRole('group', { name: 'Proposed command 1' });
    await proposed.getByRole('button', { name: /Run/ }).click();
    await eventually(() => proposed.getByRole('log').textContent()).toContain('still typed-by-hand in /tmp');
    await card(page, '$ echo "still $MARK in $(pwd)"').waitFor();

    // Two shell blocks make two proposals; Run all runs them in order, each once the one before has ended.
    await page.getByLabel('Role and author').selectOption({ label: 'Assistant' });
    await page
      .getByLabel('Message text')
      .fill(
        'First:\n```bash\necho one >> order.txt\n```\nthen:\n```bash\necho two >> order.txt; cat order.txt\n```',
      );
    await page.getByRole('button', { name: 'Add as Assistant' }).click();
    await card(page, 'First:').getByRole('button', { name: 'Run' }).click();
    const group = page.getByRole('group', { name: 'Proposed commands' }).last();
    await group.getByRole('button', { name: 'Run all 2, in order' }).click();
    const second = group.getByRole('group', { name: 'Proposed command 2' });
    await second.getByText('completed', { exact: true }).waitFor();
    expect(await second.getByRole('log').textContent()).toBe('one\ntwo\n');
    await group
      .getByRole('group', { name: 'Proposed command 1' })
      .getByText('completed', { exact: true })
      .waitFor();

    expect(problems).toEqual([]);
    await context.close();
  });
});
