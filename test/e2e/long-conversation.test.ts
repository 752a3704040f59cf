/**
 * A 10,000-message conversation opens at its end and scrolls, with only the visible cards in the DOM
 * (@tanstack/react-virtual). The page holds a window of the path and loads the one above as the person
 * scrolls up, keeping the cards on screen where they were; a link to the very first message loads down to
 * it (issue 7 item 9). Timings are printed for the record, not asserted: the machine is shared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedIn } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { type BrowserApp, startBrowserApp } from './support/browser-app.ts';

const available = requirement('chromium', hasExecutable(CHROMIUM_PATH));
const MESSAGES = 10_000;
const SEED = 100;
/** Far fewer than the messages: what a tall window shows plus the overscan on each side. */
const MOST_CARDS_IN_DOM = 40;

describe.runIf(available)('a 10,000-message conversation', () => {
  let app: BrowserApp;
  let conversationId: string;
  let firstMessageId: string;

  beforeAll(async () => {
    app = await startBrowserApp();
    ({ conversationId, firstMessageId } = await buildLongConversation(app.call));
  }, 120_000);
  afterAll(() => app?.close());

  it('opens at the end and scrolls with only visible cards rendered', async () => {
    const { page, context, problems } = await openSignedIn(app.browser, app.server);
    const olderWindows: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes(`/api/conversations/${conversationId}/messages?before=`)) {
        olderWindows.push(request.url());
      }
    });
    const started = performance.now();
    await page.goto(`${app.server.origin}/#/c/${conversationId}`);
    const cards = page.locator('article.message-card');
    // The last message of the path: seed message 99, in its last copy.
    await cards.filter({ hasText: `Message 99 of the seed` }).last().waitFor();
    const openMs = performance.now() - started;
    expect(await cards.count()).toBeLessThanOrEqual(MOST_CARDS_IN_DOM);
    await page
      .getByText(`in ${MESSAGES.toLocaleString('en-US')} of ${MESSAGES.toLocaleString('en-US')} messages`)
      .waitFor();

    // Scroll up 300 px a frame for 120 frames, as a fast flick would, timing each frame and counting cards.
    const flick = await page.locator('.message-list').evaluate(async (element) => {
      const frames: number[] = [];
      let mostCards = 0;
      let last = performance.now();
      for (let frame = 0; frame < 120; frame += 1) {
        element.scrollTop -= 300;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        mostCards = Math.max(mostCards, element.querySelectorAll('article.message-card').length);
      }
      frames.sort((a, b) => a - b);
      return {
        median: frames[Math.floor(frames.length / 2)] ?? 0,
        p95: frames[Math.floor(frames.length * 0.95)] ?? 0,
        mostCards,
      };
    });
    expect(flick.mostCards).toBeLessThanOrEqual(MOST_CARDS_IN_DOM);
    // The flick went past the first window: the ones above were asked for as it went.
    expect(olderWindows.length).toBeGreaterThan(0);

    // At the top of what is held, the window above loads and the view stays on the same card.
    const list = page.locator('.message-list');
    await expect.poll(() => list.getAttribute('aria-busy').catch(() => null)).not.toBe('true');
    const requestsBefore = olderWindows.length;
    await list.evaluate((element) => {
      element.scrollTop = 0;
    });
    await expect.poll(() => olderWindows.length).toBeGreaterThan(requestsBefore);
    // Older cards went above the ones on screen, and the view moved down with them instead of showing the
    // new top: had it not, it would still be at 0.
    await expect.poll(() => list.evaluate((element) => element.scrollTop)).toBeGreaterThan(0);
    expect(await cards.count()).toBeLessThanOrEqual(MOST_CARDS_IN_DOM);

    // A link to the path's first message (as a search hit opens it) loads down to it and lights it up.
    await page.goto(`${app.server.origin}/#/c/${conversationId}/m/${firstMessageId}`);
    await page
      .locator('article.message-card.is-highlighted')
      .filter({ hasText: 'Message 0 of the seed' })
      .waitFor();
    expect(await cards.count()).toBeLessThanOrEqual(MOST_CARDS_IN_DOM);
    console.log(
      `10k conversation: opened in ${openMs.toFixed(0)} ms; flick scroll frames median ${flick.median.toFixed(1)} ms, ` +
        `p95 ${flick.p95.toFixed(1)} ms; at most ${flick.mostCards} cards in the DOM`,
    );
    expect(problems).toEqual([]);
    await context.close();
  });
});

/** 100 messages through the API, then copied onto the end of the same path until there are 10,000. */
async function buildLongConversation(
  call: BrowserApp['call'],
): Promise<{ conversationId: string; firstMessageId: string }> {
  const { id } = await call<{ id: string }>('POST', '/api/conversations', { title: 'Ten thousand' });
  const roles = ['user', 'assistant', 'user', 'assistant'] as const;
  let firstMessageId = '';
  for (let index = 0; index < SEED; index += 1) {
    const content =
      index % 5 === 0
        ? `Message ${index} of the seed, with code:\n\n\`\`\`ts\nconst value${index} = ${index};\n\`\`\``
        : `Message ${index} of the seed. ${'Some words to wrap across lines. '.repeat(index % 4)}`;
    const added = await call<{ id: string }>('POST', `/api/conversations/${id}/messages`, {
      role: roles[index % 4],
      content,
    });
    if (index === 0) firstMessageId = added.id;
  }
  let total = SEED;
  while (total < MESSAGES) {
    const { messages } = await call<{ messages: Array<{ id: string }> }>(
      'GET',
      `/api/conversations/${id}?limit=500`,
    );
    const batch = messages.slice(0, Math.min(messages.length, MESSAGES - total)).map((message) => message.id);
    await call('POST', `/api/conversations/${id}/copy`, { messageIds: batch });
    total += batch.length;
  }
  return { conversationId: id, firstMessageId };
}
