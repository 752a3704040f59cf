/**
 * Issue 11 in a real headless Chromium: axe-core finds no serious or critical WCAG 2.1 A/AA violation on any
 * screen, in the light and the dark theme (the system's, `prefers-color-scheme`), at 1280 and 400 px; at 200%
 * zoom nothing scrolls sideways, overlaps or is cut off; under `prefers-reduced-motion` nothing moves; and a
 * finished model turn or command is announced by a polite live region while the keyboard stays put.
 *
 * 200% zoom is a 640 × 400 px viewport at device scale 1: browser zoom on a 1280 × 800 window is exactly that
 * many CSS pixels, and media and container queries answer to it as they do under real zoom. CSS `zoom` on the
 * root would keep the viewport at 1280 px, so the narrow layouts would never be tried.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, openSignedIn, STEP_LIMIT_MS } from '../support/browser.ts';
import { CHROMIUM_PATH, hasExecutable, requirement } from '../support/environment.ts';
import { auditPage } from './support/axe-audit.ts';
import { type ScriptedBrowserApp, startScriptedBrowserApp } from './support/browser-app.ts';
import { focusProblems } from './support/focus-checks.ts';
import { layoutProblems, messageRoomProblems } from './support/layout-checks.ts';
import { movingElements } from './support/motion-checks.ts';
import { gate, lastMessage } from './support/scripted-model.ts';

const available =
  requirement('chromium', hasExecutable(CHROMIUM_PATH)) &&
  requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));

interface Layout {
  label: string;
  viewport: { width: number; height: number };
  colorScheme: 'light' | 'dark';
}

const LAYOUTS: Layout[] = [
  { label: '1280 light', viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
  { label: '1280 dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' },
  { label: '400 light', viewport: { width: 400, height: 800 }, colorScheme: 'light' },
  { label: '400 dark', viewport: { width: 400, height: 800 }, colorScheme: 'dark' },
];

/** 1280 × 800 at 200% zoom, and the phone width at 100%. */
const ZOOMED: Layout[] = [
  { label: '200% zoom', viewport: { width: 640, height: 400 }, colorScheme: 'light' },
  { label: '400 px', viewport: { width: 400, height: 800 }, colorScheme: 'dark' },
];

/** MP_A11Y_SHOTS=/tmp: each audited screen is also saved there, for a person to look at. */
const SHOTS_DIR = process.env.MP_A11Y_SHOTS;

/** How long a freshly opened screen may take to show what the test waits for. */
const LOAD_LIMIT_MS = 2 * STEP_LIMIT_MS;

/** Eight screens × four layouts, each a fresh page on two shared cores. */
const SCREEN_LIMIT_MS = 120_000;

const OUTPUT_COMMAND = "printf '\\033[32m3 passed\\033[0m\\n\\033[33mwarn\\033[0m one slow test\\n'";

function card(page: Page, text: string): Locator {
  return page.locator('article.message-card').filter({ hasText: text }).first();
}

/**
 * Opens a screen by its address, as a new document. A signed-in page opens the newest conversation once its
 * list arrives, which can overtake a hash changed right after sign-in; the query makes the address a new page
 * rather than a new hash, so the app starts on it (the tab keeps its token).
 */
async function visit(page: Page, origin: string, hash: string): Promise<void> {
  await page.goto(`${origin}/?screen${hash}`);
}

/** Two frames: what the last state change rendered has been laid out and painted. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

describe.runIf(available)('accessibility of every screen', () => {
  let app: ScriptedBrowserApp;
  const hold = gate();

  beforeAll(async () => {
    app = await startScriptedBrowserApp(async (request, reply) => {
      const last = lastMessage(request);
      if (last.role === 'tool') {
        await reply.text('The tests pass: **3 passed**. Next I would look at the slow one.');
        await reply.finish();
        return;
      }
      if (String(last.content).includes('stream')) {
        await reply.text('Here is a plan, one step at a time');
        await hold.opened;
        await reply.finish();
        return;
      }
      if (String(last.content).includes('plain')) {
        await reply.text('A plain answer.');
        await reply.finish();
        return;
      }
      await reply.text('Let me run the tests first.');
      await reply.runCommand(`call_${request.messages.length}`, 'npm test');
      await reply.finish('tool_calls');
    });
  });
  afterAll(async () => {
    hold.open();
    await app?.close();
  });

  /** `expect.poll` belongs to tests; set-up waits for the server with `vi.waitFor` instead. */
  async function until(ready: () => Promise<boolean>, what: string): Promise<void> {
    await vi.waitFor(
      async () => {
        if (!(await ready())) throw new Error(`still waiting for ${what}`);
      },
      { timeout: STEP_LIMIT_MS, interval: 50 },
    );
  }

  async function proposals(id: string) {
    const answer = await app.call<{ proposals: { id: string; status: string }[] }>(
      'GET',
      `/api/conversations/${id}/proposals`,
    );
    return answer.proposals;
  }

  /** Opens `hash` in each layout, does `prepare`, and gathers what `check` finds; fails listing all of it. */
  async function inEachLayout(options: {
    screen: string;
    hash: string;
    layouts?: Layout[];
    signedIn?: boolean;
    prepare?: (page: Page, layout: Layout) => Promise<void>;
    check?: (page: Page, screen: string) => Promise<string[]>;
  }): Promise<void> {
    const findings: string[] = [];
    for (const layout of options.layouts ?? LAYOUTS) {
      const opened =
        options.signedIn === false
          ? await app.browser.newContext({ viewport: layout.viewport, colorScheme: layout.colorScheme })
          : (await openSignedIn(app.browser, app.server, layout)).context;
      // Eight helpers' browsers share two cores: a first render may take longer than one step usually does.
      opened.setDefaultTimeout(LOAD_LIMIT_MS);
      const page = opened.pages()[0] ?? (await opened.newPage());
      await visit(page, app.server.origin, options.hash);
      try {
        await options.prepare?.(page, layout);
      } catch (error) {
        // What the page showed when the screen did not come: the first thing to look at.
        const shot = `/tmp/a11y-failed-${options.screen.replace(/\W+/g, '-')}-${layout.label.replace(/\W+/g, '-')}.png`;
        await page.screenshot({ path: shot }).catch(() => undefined);
        throw new Error(`${options.screen} @ ${layout.label} did not show (screenshot: ${shot})`, {
          cause: error,
        });
      }
      // A notice from loading would sit in front of what is audited; its own markup is audited on its own.
      await settled(page);
      if (SHOTS_DIR !== undefined) {
        const name = `${options.screen}-${layout.label}${options.check ? '-checked' : ''}`.replace(
          /\W+/g,
          '-',
        );
        await page.screenshot({ path: join(SHOTS_DIR, `a11y-${name}.png`) });
      }
      findings.push(...(await (options.check ?? auditPage)(page, `${options.screen} @ ${layout.label}`)));
      await opened.close();
    }
    expect(findings, findings.join('\n')).toEqual([]);
  }

  it('the first screen, before any conversation', { timeout: SCREEN_LIMIT_MS }, async () => {
    await inEachLayout({
      screen: 'first screen',
      hash: '#/',
      prepare: (page) => page.locator('.placeholder').getByText('No conversations yet.').waitFor(),
    });
  });

  it('the sign-in screen of a page that is not signed in', { timeout: SCREEN_LIMIT_MS }, async () => {
    await inEachLayout({
      screen: 'sign-in',
      hash: '',
      signedIn: false,
      prepare: (page) => page.getByRole('heading', { level: 1 }).waitFor(),
    });
  });

  describe('with conversations', () => {
    let emptyId: string;
    let workId: string;
    let streamingId: string;
    let userMessageId: string;

    beforeAll(async () => {
      emptyId = await app.scriptedConversation('An empty one');
      workId = await app.scriptedConversation('Run the tests');
      await app.call('POST', `/api/conversations/${workId}/messages`, {
        role: 'system',
        content: 'You are a careful programmer. Propose one command at a time.',
      });
      const user = await app.call<{ id: string }>('POST', `/api/conversations/${workId}/messages`, {
        role: 'user',
        content: 'Do the tests pass?',
        send: true,
      });
      userMessageId = user.id;
      await until(async () => (await proposals(workId)).length === 1, 'the first proposal');
      const [first] = await proposals(workId);
      await app.call('POST', `/api/proposals/${first?.id}/run`, { command: OUTPUT_COMMAND });
      await until(async () => (await proposals(workId))[0]?.status === 'completed', 'the run to complete');
      // The model's answer to the output, then a second proposal left waiting for the person.
      await until(async () => {
        const open = await app.call<{ messages: { content: string }[] }>(
          'GET',
          `/api/conversations/${workId}`,
        );
        return open.messages.some((message) => message.content.includes('The tests pass'));
      }, "the model's answer to the output");
      const last = await app.call<{ id: string }>('POST', `/api/conversations/${workId}/messages`, {
        role: 'user',
        content: 'Now check the state.',
        send: true,
      });
      // A second revision, so the revisions panel has a diff to show; near the end, so every layout renders it.
      await app.call('PATCH', `/api/messages/${last.id}`, { content: 'Now check the git state.' });
      await until(async () => (await proposals(workId)).length === 2, 'the second proposal');
      streamingId = await app.scriptedConversation('Streaming answer');
      await app.call('POST', `/api/conversations/${streamingId}/messages`, {
        role: 'user',
        content: 'Please stream a plan.',
        send: true,
      });
    });

    const openWork = async (page: Page) => {
      // Each answer numbers its own proposals: the first answer's ran, the second's waits at the end.
      await page.locator('.proposal-card--proposed').getByRole('textbox', { name: 'Command 1' }).waitFor();
      await page.locator('.token-meter:not(:has-text("counting…"))').waitFor();
    };
    /** The list renders the cards in view and a few more: on a short screen the run is up out of it. */
    const showRun = async (page: Page) => {
      await openWork(page);
      await page.locator('.message-list').evaluate((list) => list.scrollTo({ top: 0 }));
      await page.locator('.proposal-card--completed').getByRole('log').waitFor();
    };

    it('a new, empty conversation', { timeout: SCREEN_LIMIT_MS }, async () => {
      await inEachLayout({
        screen: 'empty conversation',
        hash: `#/c/${emptyId}`,
        prepare: (page) => page.locator('.composer').waitFor(),
      });
    });

    it('a conversation with a run command, its output and a pending proposal', {
      timeout: SCREEN_LIMIT_MS,
    }, async () => {
      await inEachLayout({ screen: 'conversation', hash: `#/c/${workId}`, prepare: showRun });
    });

    it('a message being edited in place', { timeout: SCREEN_LIMIT_MS }, async () => {
      await inEachLayout({
        screen: 'inline edit',
        hash: `#/c/${workId}`,
        prepare: async (page) => {
          await openWork(page);
          const user = card(page, 'Now check the git state.');
          await user.getByRole('button', { name: 'Edit', exact: true }).click();
          await user.getByRole('textbox').waitFor();
        },
      });
    });

    it('the revisions panel with a diff', { timeout: SCREEN_LIMIT_MS }, async () => {
      await inEachLayout({
        screen: 'revisions',
        hash: `#/c/${workId}`,
        prepare: async (page) => {
          await openWork(page);
          await card(page, 'Now check the git state.').getByRole('button', { name: 'Revisions' }).click();
          await page.locator('.inspector').getByText('git', { exact: true }).first().waitFor();
        },
      });
    });

    it('the model call panel', { timeout: SCREEN_LIMIT_MS }, async () => {
      await inEachLayout({
        screen: 'model call',
        hash: `#/c/${workId}`,
        prepare: async (page) => {
          await openWork(page);
          await card(page, 'Let me run the tests').getByRole('button', { name: 'Inspect' }).click();
          await page.getByRole('heading', { name: 'Model call' }).waitFor();
        },
      });
    });

    it('the copy dialog', { timeout: SCREEN_LIMIT_MS }, async () => {
      await inEachLayout({
        screen: 'copy dialog',
        hash: `#/c/${workId}`,
        prepare: async (page) => {
          await openWork(page);
          await card(page, 'Now check the git state.').getByRole('button', { name: 'Copy to…' }).click();
          await page.getByRole('dialog').waitFor();
        },
      });
    });

    it('the export dialog with a preview (issue 9)', { timeout: SCREEN_LIMIT_MS }, async () => {
      await inEachLayout({
        screen: 'export dialog',
        hash: `#/c/${workId}`,
        prepare: async (page) => {
          await openWork(page);
          const show = page.getByRole('button', { name: 'Show conversations' });
          if ((await show.count()) > 0) await show.click();
          await page.getByRole('button', { name: 'Export dataset…' }).click();
          const dialog = page.getByRole('dialog', { name: 'Export a dataset' });
          await dialog.getByRole('button', { name: 'Preview' }).click();
          const status = dialog.getByRole('status');
          await status.getByText(/^Preview: /).waitFor();
          await dialog.getByText('Line 1').click();
        },
      });
    });

    it('a summary card, the system prompt form and the summary writer', {
      timeout: SCREEN_LIMIT_MS,
    }, async () => {
      const summarized = await app.scriptedConversation('Summarized');
      const ids: string[] = [];
      for (const content of ['First step', 'Second step']) {
        const message = await app.call<{ id: string }>('POST', `/api/conversations/${summarized}/messages`, {
          role: 'user',
          content,
        });
        ids.push(message.id);
      }
      await app.call('POST', `/api/conversations/${summarized}/summaries`, {
        fromMessageId: ids[0],
        toMessageId: ids[1],
        content: 'Summary of earlier work: two steps.',
      });
      await inEachLayout({
        screen: 'summary and system prompt',
        hash: `#/c/${summarized}`,
        prepare: async (page) => {
          await card(page, 'Summary of earlier work').getByText('Summary of 2 messages').waitFor();
          await card(page, 'Second step').getByLabel('Select').check();
          await page.getByRole('button', { name: 'Write summary…' }).click();
          await page.getByRole('region', { name: 'Write a summary' }).waitFor();
          await page.getByRole('button', { name: /^System prompt/ }).click();
          await page.getByRole('form', { name: 'System prompt' }).waitFor();
        },
      });
    });

    it('the keyboard shortcuts overlay', { timeout: SCREEN_LIMIT_MS }, async () => {
      await inEachLayout({
        screen: 'shortcuts',
        hash: `#/c/${workId}`,
        prepare: async (page) => {
          await openWork(page);
          await page.keyboard.press('?');
          await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
        },
      });
    });

    it('the conversation list as a drawer, and a streaming answer', {
      timeout: SCREEN_LIMIT_MS,
    }, async () => {
      await inEachLayout({
        screen: 'streaming, list shown',
        hash: `#/c/${streamingId}`,
        prepare: async (page) => {
          await page.getByText('one step at a time').waitFor();
          const show = page.getByRole('button', { name: 'Show conversations' });
          if ((await show.count()) > 0) await show.click();
          await page.getByRole('navigation', { name: 'Conversations' }).getByText('An empty one').waitFor();
        },
      });
    });

    describe('the workspace panel (issue 8)', () => {
      let panelId: string;
      beforeAll(async () => {
        // A folder of its own (the data dir, where a conversation's default workspace lives, is hidden from the view).
        const workspace = mkdtempSync(join(tmpdir(), 'mp-a11y-workspace-'));
        mkdirSync(join(workspace, 'src'));
        writeFileSync(
          join(workspace, 'src', 'sum.ts'),
          'export function sum(a: number, b: number) {\n  return a - b;\n}\n',
        );
        writeFileSync(join(workspace, 'README.md'), '# Sums\n');
        panelId = await app.scriptedConversation('Workspace panel');
        await app.call('PATCH', `/api/conversations/${panelId}`, { workspace });
        const run = await app.call<{ id: string }>('POST', `/api/conversations/${panelId}/run`, {
          command: "sed -i 's/a - b/a + b/' src/sum.ts && echo done > notes.txt",
        });
        await until(
          async () =>
            (await app.call<{ endedAt: string | null }>('GET', `/api/executions/${run.id}`)).endedAt !== null,
          'the step to end',
        );
      });

      const openPanel = async (page: Page) => {
        await page.getByRole('button', { name: 'Files', exact: true }).click();
        await page
          .getByRole('navigation', { name: 'Workspace files' })
          .getByRole('button', { name: 'src/' })
          .waitFor();
      };

      it('its files, with a highlighted file', { timeout: SCREEN_LIMIT_MS }, async () => {
        await inEachLayout({
          screen: 'workspace files',
          hash: `#/c/${panelId}`,
          prepare: async (page) => {
            await openPanel(page);
            const tree = page.getByRole('navigation', { name: 'Workspace files' });
            await tree.getByRole('button', { name: 'src/' }).click();
            await tree.getByRole('button', { name: 'sum.ts' }).click();
            await page.locator('.highlighted-code .hljs-keyword').first().waitFor();
          },
        });
      });

      it('its changes since the first checkpoint', { timeout: SCREEN_LIMIT_MS }, async () => {
        await inEachLayout({
          screen: 'workspace changes',
          hash: `#/c/${panelId}`,
          prepare: async (page) => {
            await openPanel(page);
            await page.getByRole('tab', { name: 'Changes' }).click();
            await page.getByRole('group', { name: 'Changes to src/sum.ts' }).waitFor();
          },
        });
      });
    });

    it('Settings', { timeout: SCREEN_LIMIT_MS }, async () => {
      await inEachLayout({
        screen: 'settings',
        hash: '#/settings',
        prepare: (page) => page.getByRole('button', { name: 'Save' }).waitFor(),
      });
    });

    it('at 200% zoom and 400 px nothing scrolls sideways, overlaps or is cut off', {
      timeout: SCREEN_LIMIT_MS,
    }, async () => {
      const check = layoutProblems;
      // On a conversation the messages also keep most of a short window (the banner, settings bar and composer
      // once left them about a quarter of 640 × 400).
      const conversationCheck = async (page: Page, screen: string) => [
        ...(await layoutProblems(page, screen)),
        ...(await messageRoomProblems(page, screen)),
      ];
      await inEachLayout({
        screen: 'empty conversation',
        hash: `#/c/${emptyId}`,
        layouts: ZOOMED,
        check: conversationCheck,
        prepare: (page) => page.locator('.composer').waitFor(),
      });
      await inEachLayout({
        screen: 'conversation',
        hash: `#/c/${workId}`,
        layouts: ZOOMED,
        check: conversationCheck,
        prepare: showRun,
      });
      await inEachLayout({
        screen: 'revisions',
        hash: `#/c/${workId}`,
        layouts: ZOOMED,
        check,
        prepare: async (page) => {
          await openWork(page);
          await card(page, 'Now check the git state.').getByRole('button', { name: 'Revisions' }).click();
          await page.locator('.inspector').waitFor();
        },
      });
      await inEachLayout({
        screen: 'settings',
        hash: '#/settings',
        layouts: ZOOMED,
        check,
        prepare: (page) => page.getByRole('button', { name: 'Save' }).waitFor(),
      });
    });

    it('a conversation on the host says so in view at every size, 200% zoom included', {
      timeout: SCREEN_LIMIT_MS,
    }, async () => {
      const hostId = await app.scriptedConversation('On the host');
      await app.call('PATCH', `/api/conversations/${hostId}`, { sandbox: 'host' });
      for (let step = 1; step <= 12; step += 1) {
        await app.call('POST', `/api/conversations/${hostId}/messages`, {
          role: 'user',
          content: `Step ${step}`,
        });
      }
      // The settings bar's full warning scrolls away on a short window; a short one stays in view.
      const hostSaidInView = async (page: Page, screen: string) => {
        const seen = await page.evaluate(() => {
          const says = (element: Element) =>
            /commands (in this conversation )?run (directly )?on (the host|this machine)/i.test(
              element.textContent ?? '',
            );
          // The innermost elements that say it (the page's body says everything it holds).
          return [...document.querySelectorAll<HTMLElement>('body *')]
            .filter((element) => says(element) && ![...element.children].some(says))
            .filter((element) => {
              if (!element.checkVisibility()) return false;
              const box = element.getBoundingClientRect();
              if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth)
                return false;
              const front = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
              return front !== null && element.contains(front);
            })
            .map((element) => element.textContent ?? '');
        });
        await page.screenshot({ path: `/tmp/loose-host-${screen.replace(/\W+/g, '-')}.png` });
        return seen.length > 0 ? [] : [`${screen}: nothing in view says that commands run on the host`];
      };
      const prepare = async (page: Page) => {
        await card(page, 'Step 12').waitFor();
        await page.locator('.token-meter:not(:has-text("counting…"))').waitFor();
      };
      const check = async (page: Page, screen: string) => [
        ...(await hostSaidInView(page, screen)),
        ...(await layoutProblems(page, screen)),
        ...(await auditPage(page, screen)),
      ];
      // On the short window the badge costs the messages a line; they keep their share of it.
      await inEachLayout({
        screen: 'host conversation',
        hash: `#/c/${hostId}`,
        layouts: ZOOMED.slice(0, 1),
        prepare,
        check: async (page, screen) => [
          ...(await check(page, screen)),
          ...(await messageRoomProblems(page, screen)),
        ],
      });
      await inEachLayout({
        screen: 'host conversation',
        hash: `#/c/${hostId}`,
        layouts: [...ZOOMED.slice(1), ...LAYOUTS.slice(0, 2)],
        prepare,
        check,
      });
    });

    it('keeps focus visible at every Tab stop, in both themes', { timeout: SCREEN_LIMIT_MS }, async () => {
      const wide = LAYOUTS.slice(0, 2);
      const check = focusProblems;
      await inEachLayout({
        screen: 'conversation',
        hash: `#/c/${workId}`,
        layouts: wide,
        check,
        prepare: openWork,
      });
      await inEachLayout({
        screen: 'settings',
        hash: '#/settings',
        layouts: wide,
        check,
        prepare: (page) => page.getByRole('button', { name: 'Save' }).waitFor(),
      });
    });

    it('announces a finished model turn and a finished command without moving the keyboard', {
      timeout: SCREEN_LIMIT_MS,
    }, async () => {
      const id = await app.scriptedConversation('Announcements');
      const { page, context } = await openSignedIn(app.browser, app.server, LAYOUTS[0]!);
      await visit(page, app.server.origin, `#/c/${id}`);
      const announcer = page.locator('[data-announcer]');
      expect(await announcer.getAttribute('aria-live')).toBe('polite');
      const text = page.getByLabel('Message text');
      await text.fill('A plain question');
      await page.getByLabel('Send to model').check();
      await text.focus();
      await page.keyboard.press('Control+Enter');
      await card(page, 'A plain answer.').waitFor();
      await eventually(() => announcer.textContent()).toContain('Model turn finished.');
      expect(await text.evaluate((element) => element === document.activeElement)).toBe(true);

      await page.getByLabel('Role and author').selectOption('run');
      await text.fill('echo announced');
      await text.focus();
      await page.keyboard.press('Control+Enter');
      await eventually(() => announcer.textContent()).toMatch(/Command finished after .*, exit code 0\./);
      expect(await text.evaluate((element) => element === document.activeElement)).toBe(true);
      await context.close();
    });

    it('under prefers-reduced-motion nothing animates or transitions', {
      timeout: SCREEN_LIMIT_MS,
    }, async () => {
      const layout = LAYOUTS[2]!;
      const { page, context } = await openSignedIn(app.browser, app.server, layout);
      // A search hit's card (highlighted), the streaming caret, and the drawer sliding in at 400 px.
      await visit(page, app.server.origin, `#/c/${workId}/m/${userMessageId}`);
      await page.locator('.message-card.is-highlighted').waitFor();
      const moving = (await movingElements(page)).map((motion) => motion.element);
      expect(moving).toContain('article.message-card.message-card--user.is-highlighted');
      expect(moving).toContain('nav.sidebar');
      await page.emulateMedia({ reducedMotion: 'reduce' });
      expect(await movingElements(page)).toEqual([]);

      await page.emulateMedia({ reducedMotion: 'no-preference' });
      // A stream of its own, started now: the one set up before all tests sends nothing while it is held, and
      // fetch gives up on a body silent for 300 s, which a slow machine's run of this file outlasts.
      const streaming = await app.scriptedConversation('Streaming for the caret');
      await app.call('POST', `/api/conversations/${streaming}/messages`, {
        role: 'user',
        content: 'Please stream a plan.',
        send: true,
      });
      await visit(page, app.server.origin, `#/c/${streaming}`);
      // The caret is on the streaming card's last paragraph: wait for that, not for the words alone.
      await page
        .locator('.message-card.is-streaming .markdown > :last-child')
        .getByText('one step at a time')
        .waitFor();
      expect((await movingElements(page)).map((motion) => motion.element)).toContain('p::after');
      await page.emulateMedia({ reducedMotion: 'reduce' });
      expect(await movingElements(page)).toEqual([]);
      await context.close();
    });
  });
});
