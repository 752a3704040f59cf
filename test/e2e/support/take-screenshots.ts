/**
 * Screenshots of the workbench with a model and a terminal at work, for a person to look at (not a test):
 * `node test/e2e/support/take-screenshots.ts /tmp/mp-screens2`. Needs a current `dist/web` and bwrap.
 * Each scene is shot at 1280×800 and 400×800, light and dark.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, openSignedIn, startServer } from '../../support/browser.ts';
import { apiClient } from './api-client.ts';
import { gate, lastMessage, SCRIPTED_MODEL_ID, startScriptedModel } from './scripted-model.ts';

const outDir = process.argv[2] ?? '/tmp/mp-screens2';
mkdirSync(outDir, { recursive: true });

const hold = gate();
const model = await startScriptedModel(async (request, reply) => {
  const last = lastMessage(request);
  if (last.role === 'tool') {
    await reply.text('The tests pass: ');
    await reply.text('**12 passed**, 0 failed. ');
    await reply.text('Next I would add a test for the negative case.');
    await reply.finish();
    return;
  }
  if (String(last.content).includes('stream')) {
    for (const word of 'Here is a plan. First, I will list the files to see how the project is laid out, then'.split(
      ' ',
    )) {
      await reply.text(`${word} `);
    }
    await hold.opened;
    await reply.finish();
    return;
  }
  await reply.text('Let me run the tests first.');
  await reply.runCommand(`call_${request.messages.length}`, 'npm test -- --reporter=dot');
  await reply.finish('tool_calls');
});
const server = await startServer();
const call = apiClient(server);
const browser = await launchBrowser();

async function conversation(title: string, settings: Record<string, unknown> = {}) {
  const created = await call<{ id: string }>('POST', '/api/conversations', { title });
  await call('PATCH', `/api/conversations/${created.id}`, {
    provider: 'openai-compatible',
    baseUrl: model.baseUrl,
    model: SCRIPTED_MODEL_ID,
    ...settings,
  });
  return created.id;
}

async function idle(page: Page) {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

const scenes: { name: string; id: string; prepare?: (page: Page) => Promise<void> }[] = [];

// A proposal, run with coloured output, answered by the model.
const terminalId = await conversation('Run the tests');
await call('POST', `/api/conversations/${terminalId}/messages`, {
  role: 'system',
  content: 'You are a careful programmer. Propose one command at a time.',
});
await call('POST', `/api/conversations/${terminalId}/messages`, {
  role: 'user',
  content: 'Do the tests pass?',
  send: true,
});
const proposals = async () =>
  (
    await call<{ proposals: { id: string; status: string }[] }>(
      'GET',
      `/api/conversations/${terminalId}/proposals`,
    )
  ).proposals;
while ((await proposals()).length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
const [first] = await proposals();
await call('POST', `/api/proposals/${first?.id}/run`, {
  command:
    "printf '\\033[1m> vitest run\\033[0m\\n\\n'; for t in parse format diff; do printf ' \\033[32m✓\\033[0m src/%s.test.ts \\033[2m(4 tests)\\033[0m\\n' $t; done; printf '\\n\\033[33mwarn\\033[0m slow test: \\033[36mdiff\\033[0m took 812ms\\n\\n \\033[1;32mTest Files  3 passed\\033[0m\\n'",
});
await call('POST', `/api/conversations/${terminalId}/messages`, {
  role: 'user',
  content: 'Now check the git state.',
  send: true,
});
while ((await proposals()).length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
scenes.push({
  name: 'proposal-coloured-output',
  id: terminalId,
  prepare: async (page) => {
    await page.getByRole('log').first().scrollIntoViewIfNeeded();
  },
});
scenes.push({
  name: 'inspector-model-call',
  id: terminalId,
  prepare: async (page) => {
    await page
      .locator('article.message-card')
      .filter({ hasText: 'Let me run the tests' })
      .first()
      .getByRole('button', { name: 'Inspect' })
      .click();
    await page.getByRole('heading', { name: 'Model call' }).waitFor();
  },
});

// A streaming answer, held open mid-sentence.
const streamingId = await conversation('Streaming answer', { sandbox: 'host' });
await call('POST', `/api/conversations/${streamingId}/messages`, {
  role: 'user',
  content: 'Please stream a plan for this refactor.',
  send: true,
});
scenes.push({
  name: 'streaming-answer-host',
  id: streamingId,
  prepare: async (page) => {
    await page.getByText('laid out, then').waitFor();
  },
});

// No model: the banner, on a fresh conversation.
const plain = await call<{ id: string }>('POST', '/api/conversations', { title: 'No model yet' });
scenes.push({ name: 'no-model-banner', id: plain.id });

const viewports = [
  { label: '1280', viewport: { width: 1280, height: 800 } },
  { label: '400', viewport: { width: 400, height: 800 } },
];
for (const scene of scenes) {
  for (const { label, viewport } of viewports) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, context, problems } = await openSignedIn(browser, server, { viewport, colorScheme });
      await page.goto(`${server.origin}/#/c/${scene.id}`);
      await page.locator('.composer').waitFor();
      await page.locator('.token-meter:not(:has-text("counting…"))').waitFor();
      await scene.prepare?.(page);
      // A notice left from loading (a failed request says so in a toast) would cover the bar; the problems
      // line below still reports it.
      for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
      await idle(page);
      const file = join(outDir, `${scene.name}-${label}-${colorScheme}.png`);
      await page.screenshot({ path: file });
      console.log(file, problems.length > 0 ? `problems: ${problems.join(' | ')}` : '');
      await context.close();
    }
  }
}

hold.open();
await browser.close();
await server.stop();
await model.close();
