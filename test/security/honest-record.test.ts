/**
 * The record says what happened (issue 7, item 8): a model whose command a person edited is told what ran
 * instead, in the tool result and in the terminal's message, and so in its next request; a rejected call is
 * answered as rejected; an Interrupt reaches the command it names: a queued command is cancelled and never
 * runs, while the one running beside it goes on.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/core/api/events.ts';
import { ModelCallSchema } from '../../src/core/api/model-schemas.ts';
import { ConversationWithMessagesSchema } from '../../src/core/api/schemas.ts';
import {
  ExecutionSchema,
  ProposalListSchema,
  ProposalSchema,
  TerminalPlaceSchema,
} from '../../src/core/api/terminal-schemas.ts';
import {
  runCommandStream,
  startOpenAiCompatibleServer,
  textStream,
} from '../providers/support/openai-script.ts';
import type { RecordedRequest } from '../providers/support/wire-server.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { openLiveEvents } from '../support/live-events.ts';
import { expectJson, settle, startTestApp, type TestApp } from '../support/test-app.ts';

const canRun = requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type ChatMessage = { role: string; content: string | null };

/** A model that proposes once (`first`), then answers with what the last message it got said. */
async function scriptedModel(first: () => ReturnType<typeof textStream>) {
  let calls = 0;
  const server = await startOpenAiCompatibleServer((request: RecordedRequest) => {
    const last = (request.body as { messages: ChatMessage[] }).messages.at(-1)!;
    calls += 1;
    return calls === 1 ? first() : textStream(`Seen: ${last.content}`);
  });
  cleanups.push(() => server.close());
  return server;
}

async function setup(): Promise<{ t: TestApp; id: string }> {
  const t = await startTestApp();
  cleanups.push(() => t.close());
  const conversation = await expectJson(
    await t.api('POST', '/api/conversations', { title: 'Honest record' }),
    ConversationWithMessagesSchema,
    201,
  );
  return { t, id: conversation.id };
}

async function withModel(t: TestApp, id: string, url: string): Promise<void> {
  await t.api('PATCH', `/api/conversations/${id}`, {
    provider: 'openai-compatible',
    baseUrl: `${url}/v1`,
    model: 'scripted',
  });
}

async function proposals(t: TestApp, id: string) {
  return (await expectJson(await t.api('GET', `/api/conversations/${id}/proposals`), ProposalListSchema))
    .proposals;
}

async function messages(t: TestApp, id: string) {
  return (await expectJson(await t.api('GET', `/api/conversations/${id}`), ConversationWithMessagesSchema))
    .messages;
}

function chatRequests(server: { requests: RecordedRequest[] }): ChatMessage[][] {
  return server.requests
    .filter((request) => request.path.endsWith('/chat/completions'))
    .map((request) => (request.body as { messages: ChatMessage[] }).messages);
}

const NOTICE = 'The person edited your command before running it; what ran was:';

describe.runIf(canRun)('an honest record, through the API, in a real bwrap sandbox', () => {
  it('tells the model, in its next request, that a person edited its tool call and what ran instead', async () => {
    const server = await scriptedModel(() => runCommandStream('echo as-proposed'));
    const { t, id } = await setup();
    await withModel(t, id, server.url);
    await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'go', send: true });
    await settle(t.app);
    const [proposal] = await proposals(t, id);
    const execution = await expectJson(
      await t.api('POST', `/api/proposals/${proposal!.id}/run`, { command: 'echo as-edited' }),
      ExecutionSchema,
    );
    await settle(t.app);

    // Both texts are kept.
    expect(execution).toMatchObject({ commandProposed: 'echo as-proposed', commandRun: 'echo as-edited' });
    const answer = `${NOTICE}\n\`\`\`\necho as-edited\n\`\`\`\nas-edited\n[exit code 0]`;
    const conversation = await messages(t, id);
    expect(conversation.find((message) => message.role === 'tool')).toMatchObject({
      toolCallId: 'call_1',
      content: answer,
    });
    // What the provider received, and what the record of that call kept.
    const second = chatRequests(server)[1]!;
    expect(second.at(-1)).toMatchObject({ role: 'tool', content: answer });
    const call = await expectJson(
      await t.api('GET', `/api/messages/${conversation.at(-1)!.id}/call`),
      ModelCallSchema,
    );
    expect(JSON.stringify(call.request)).toContain(JSON.stringify(answer).slice(1, -1));
  });

  it('tells the model when a person edited a command from its shell block', async () => {
    const server = await scriptedModel(() => textStream('Try:\n```bash\necho from-block\n```\n'));
    const { t, id } = await setup();
    await withModel(t, id, server.url);
    await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'go', send: true });
    await settle(t.app);
    const [proposal] = await proposals(t, id);
    expect(proposal).toMatchObject({ command: 'echo from-block', toolCallId: null });
    await t.api('POST', `/api/proposals/${proposal!.id}/run`, { command: 'echo changed' });
    await settle(t.app);

    const answer = `${NOTICE}\n$ echo changed\nchanged\n[exit code 0]`;
    expect((await messages(t, id)).find((message) => message.author === 'terminal')).toMatchObject({
      role: 'user',
      content: answer,
    });
    const sent = chatRequests(server)[1]!.at(-1)!;
    expect(sent.role).toBe('user');
    // The context names who wrote a user message (`[terminal] …`); the notice is in it as written.
    expect(sent.content).toContain(answer);
  });

  it('does not claim an edit when the command ran as proposed', async () => {
    const server = await scriptedModel(() => runCommandStream('echo untouched'));
    const { t, id } = await setup();
    await withModel(t, id, server.url);
    await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'go', send: true });
    await settle(t.app);
    const [proposal] = await proposals(t, id);
    await t.api('POST', `/api/proposals/${proposal!.id}/run`, { command: 'echo untouched' });
    await settle(t.app);
    expect(chatRequests(server)[1]!.at(-1)).toMatchObject({
      role: 'tool',
      content: 'untouched\n[exit code 0]',
    });
  });

  it('answers a rejected tool call as rejected, and nothing ran', async () => {
    const server = await scriptedModel(() => runCommandStream('touch rejected-ran'));
    const { t, id } = await setup();
    await withModel(t, id, server.url);
    await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'go', send: true });
    await settle(t.app);
    const [proposal] = await proposals(t, id);
    await expectJson(
      await t.api('POST', `/api/proposals/${proposal!.id}/reject`, { reason: 'not now' }),
      ProposalSchema,
    );
    await settle(t.app);
    expect(chatRequests(server)[1]!.at(-1)).toMatchObject({
      role: 'tool',
      content: 'rejected by the user: not now',
    });
    const [after] = await proposals(t, id);
    expect(after).toMatchObject({ status: 'rejected', execution: null });
  });

  describe('Interrupt reaches the command it names', () => {
    /** A message with two commands: the first waits for the test's `release` file, the second leaves a mark. */
    async function twoCommands() {
      const { t, id } = await setup();
      const place = await expectJson(
        await t.api('GET', `/api/conversations/${id}/terminal`),
        TerminalPlaceSchema,
      );
      const events = await openLiveEvents(t);
      cleanups.push(() => events.close());
      await t.api('POST', `/api/conversations/${id}/messages`, {
        role: 'assistant',
        content:
          'First:\n```bash\nuntil [ -e release ]; do sleep 0.02; done; echo first done\n```\n' +
          'Then:\n```bash\necho ran > second-ran\n```\n',
      });
      await settle(t.app);
      const [first, second] = await proposals(t, id);
      const firstRun = t.api('POST', `/api/proposals/${first!.id}/run`, {});
      await events.seen(started(first!.id));
      const secondRun = t.api('POST', `/api/proposals/${second!.id}/run`, {});
      const queued = await events.seen(
        (event): event is Extract<LiveEvent, { type: 'command-queued' }> =>
          event.type === 'command-queued' && event.execution.proposalId === second!.id,
      );
      return { t, id, events, first: first!, second: second!, firstRun, secondRun, queued, place };
    }

    it('cancels a queued command, which never runs, and leaves the running one alone', async () => {
      const { t, id, first, second, firstRun, secondRun, queued, place } = await twoCommands();
      const waiting = await proposals(t, id);
      expect(waiting.map((proposal) => [proposal.status, proposal.execution?.status])).toEqual([
        ['running', 'running'],
        ['queued', 'queued'],
      ]);

      const cancelled = await expectJson(
        await t.api('POST', `/api/executions/${queued.execution.id}/interrupt`),
        ExecutionSchema,
      );
      expect(cancelled).toMatchObject({ status: 'cancelled', exitCode: null });
      expect(
        (await expectJson(await t.api('GET', `/api/executions/${queued.execution.id}`), ExecutionSchema))
          .status,
      ).toBe('cancelled');
      const afterCancel = await proposals(t, id);
      expect(afterCancel[0]).toMatchObject({ status: 'running' });
      expect(afterCancel[1]).toMatchObject({ status: 'interrupted' });

      writeFileSync(join(place.workspace, 'release'), '');
      const firstEnded = await expectJson(await firstRun, ExecutionSchema);
      expect(await expectJson(await secondRun, ExecutionSchema)).toMatchObject({ status: 'cancelled' });
      await settle(t.app);

      expect(firstEnded).toMatchObject({ proposalId: first.id, status: 'completed', exitCode: 0 });
      expect(firstEnded.output).toContain('first done');
      expect(existsSync(join(place.workspace, 'second-ran'))).toBe(false);
      const answers = (await messages(t, id)).filter((message) => message.author === 'terminal');
      expect(answers.map((message) => message.content)).toEqual([
        '$ echo ran > second-ran\n[cancelled by the user before it started; it did not run]',
        '$ until [ -e release ]; do sleep 0.02; done; echo first done\nfirst done\n[exit code 0]',
      ]);
      const [, ended] = await proposals(t, id);
      expect(ended).toMatchObject({ id: second.id, status: 'interrupted' });
    });

    it('stops the running command it names; the queued one then runs', async () => {
      const { t, id, events, first, firstRun, secondRun, place } = await twoCommands();
      const running = (await proposals(t, id))[0]!.execution!;
      await expectJson(await t.api('POST', `/api/executions/${running.id}/interrupt`), ExecutionSchema);
      expect(await expectJson(await firstRun, ExecutionSchema)).toMatchObject({
        proposalId: first.id,
        status: 'interrupted',
      });
      expect(await expectJson(await secondRun, ExecutionSchema)).toMatchObject({ status: 'completed' });
      await settle(t.app);
      await events.close();
      expect(existsSync(join(place.workspace, 'second-ran'))).toBe(true);
      expect((await proposals(t, id)).map((proposal) => proposal.status)).toEqual([
        'interrupted',
        'completed',
      ]);
    });
  });
});

function started(proposalId: string) {
  return (event: LiveEvent): event is Extract<LiveEvent, { type: 'command-started' }> =>
    event.type === 'command-started' && event.execution.proposalId === proposalId;
}
