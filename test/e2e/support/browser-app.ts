/**
 * What a browser test stands on, started and stopped in one place: `mp serve` from a current web build,
 * headless Chromium, and (when the test scripts one) an OpenAI-compatible model on 127.0.0.1; plus the set-up
 * steps the tests repeat: a conversation connected to that model, and a signed-in page open on it.
 */
import type { Browser } from 'playwright-core';
import {
  assertWebBuildCurrent,
  launchBrowser,
  type OpenedPage,
  openSignedIn,
  type RunningServer,
  startServer,
} from '../../support/browser.ts';
import { apiClient } from './api-client.ts';
import {
  type ChatHandler,
  SCRIPTED_MODEL_ID,
  type ScriptedModel,
  startScriptedModel,
} from './scripted-model.ts';

export interface BrowserApp {
  server: RunningServer;
  browser: Browser;
  /** The API as the test, with the instance token. */
  call: ReturnType<typeof apiClient>;
  /** Closes what was started; safe after a start that failed half-way. */
  close(): Promise<void>;
}

export interface ScriptedBrowserApp extends BrowserApp {
  model: ScriptedModel;
  /** A new conversation whose model is the scripted one; its id. */
  scriptedConversation(title: string): Promise<string>;
  /** A fresh signed-in page on conversation `id`, once its model button shows the scripted model. */
  openConversation(id: string): Promise<OpenedPage>;
}

export async function startBrowserApp(): Promise<BrowserApp> {
  assertWebBuildCurrent();
  const server = await startServer();
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  return {
    server,
    browser,
    call: apiClient(server),
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}

/** `handler` answers each chat request the app sends to the scripted model. */
export async function startScriptedBrowserApp(handler: ChatHandler): Promise<ScriptedBrowserApp> {
  assertWebBuildCurrent();
  const model = await startScriptedModel(handler);
  const app = await startBrowserApp().catch(async (error: unknown) => {
    await model.close();
    throw error;
  });
  const { server, browser, call } = app;
  return {
    ...app,
    model,
    scriptedConversation: async (title) => {
      const { id } = await call<{ id: string }>('POST', '/api/conversations', { title });
      await call('PATCH', `/api/conversations/${id}`, {
        provider: 'openai-compatible',
        baseUrl: model.baseUrl,
        model: SCRIPTED_MODEL_ID,
      });
      return id;
    },
    openConversation: async (id) => {
      const opened = await openSignedIn(browser, server);
      await opened.page.goto(`${server.origin}/#/c/${id}`);
      await opened.page
        .getByRole('button', { name: `Model: openai-compatible · ${SCRIPTED_MODEL_ID}` })
        .waitFor();
      return opened;
    },
    close: async () => {
      await app.close();
      await model.close();
    },
  };
}
