import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GenerationStartedSchema } from '../src/core/api/model-schemas.ts';
import { ConversationWithMessagesSchema, MessageSchema } from '../src/core/api/schemas.ts';
import {
  ExecutionSchema,
  ProposalListSchema,
  ProposalSchema,
  TerminalPlaceSchema,
} from '../src/core/api/terminal-schemas.ts';
import {
  runCommandStream,
  startOpenAiCompatibleServer,
  textStream,
} from './providers/support/openai-script.ts';
import type { RecordedRequest } from './providers/support/wire-server.ts';
import { describeEachAppEngine } from './support/app-engines.ts';
import { hasExecutable, requirement } from './support/environment.ts';
import { makeTempDir } from './support/temp-dir.ts';
import { expectJson, settle, type TestApp } from './support/test-app.ts';

const canRun = requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The model proposes `command` once, then answers with what the last tool message said. */
async function proposingModel(command: string) {
  const server = await startOpenAiCompatibleServer((request: RecordedRequest) => {
    const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
    const last = messages.at(-1)!;
    return last.role === 'tool' ? textStream(`Seen: ${last.content}`) : runCommandStream(command);
  });
  cleanups.push(() => server.close());
  return server;
}

describeEachAppEngine('terminal flow', (engine) => {
  async function setup(settings: Record<string, unknown> = {}): Promise<{ t: TestApp; id: string }> {
    const t = await engine.startApp();
    cleanups.push(() => t.close());
    const conversation = await expectJson(
      await t.api('POST', '/api/conversations', { title: 'Terminal' }),
      ConversationWithMessagesSchema,
      201,
    );
    if (Object.keys(settings).length > 0)
      await t.api('PATCH', `/api/conversations/${conversation.id}`, settings);
    return { t, id: conversation.id };
  }

  describe.runIf(canRun)('the terminal, through the API, in a real bwrap sandbox', () => {
    it('runs commands a person writes in one persistent shell, and adds their output as the terminal', async () => {
      const { t, id } = await setup();
      const first = await expectJson(
        await t.api('POST', `/api/conversations/${id}/run`, {
          command: 'cd /tmp && export GREETING=hello && echo started',
        }),
        ExecutionSchema,
      );
      expect(first).toMatchObject({
        status: 'completed',
        exitCode: 0,
        sandbox: 'bwrap',
        commandRun: 'cd /tmp && export GREETING=hello && echo started',
      });
      expect(first.output).toContain('started');
      const second = await expectJson(
        await t.api('POST', `/api/conversations/${id}/run`, {
          command: 'echo "$GREETING from $(pwd)"; exit 3',
        }),
        ExecutionSchema,
      );
      expect(second).toMatchObject({ status: 'failed', exitCode: 3 });
      expect(second.output).toContain('hello from /tmp');
      const conversation = await expectJson(
        await t.api('GET', `/api/conversations/${id}`),
        ConversationWithMessagesSchema,
      );
      expect(conversation.messages.map((m) => [m.role, m.author])).toEqual([
        ['user', 'terminal'],
        ['user', 'terminal'],
      ]);
      expect(conversation.messages[1]!.content).toMatch(
        /^\$ echo "\$GREETING from \$\(pwd\)"; exit 3\nhello from \/tmp\n\[exit code 3\]$/,
      );
      expect(
        (await expectJson(await t.api('GET', `/api/executions/${second.id}`), ExecutionSchema))
          .resultMessageId,
      ).toBe(conversation.messages[1]!.id);
    });

    it('proposes a model tool call, runs the edited command, and sends its output back to the model', async () => {
      const server = await proposingModel('echo proposed');
      const { t, id } = await setup();
      await t.api('PATCH', `/api/conversations/${id}`, {
        provider: 'openai-compatible',
        baseUrl: `${server.url}/v1`,
        model: 'scripted',
      });
      await expectJson(
        await t.api('POST', `/api/conversations/${id}/messages`, {
          role: 'user',
          content: 'say something',
          send: true,
        }),
        MessageSchema,
        201,
      );
      await settle(t.app);
      const { proposals } = await expectJson(
        await t.api('GET', `/api/conversations/${id}/proposals`),
        ProposalListSchema,
      );
      expect(proposals).toMatchObject([
        { command: 'echo proposed', status: 'proposed', toolCallId: 'call_1', execution: null },
      ]);

      const execution = await expectJson(
        await t.api('POST', `/api/proposals/${proposals[0]!.id}/run`, { command: 'echo edited' }),
        ExecutionSchema,
      );
      expect(execution).toMatchObject({
        commandProposed: 'echo proposed',
        commandRun: 'echo edited',
        status: 'completed',
      });
      await settle(t.app);

      const after = await expectJson(
        await t.api('GET', `/api/conversations/${id}/proposals`),
        ProposalListSchema,
      );
      expect(after.proposals[0]!.status).toBe('completed');
      const conversation = await expectJson(
        await t.api('GET', `/api/conversations/${id}`),
        ConversationWithMessagesSchema,
      );
      expect(conversation.messages.map((m) => [m.role, m.author])).toEqual([
        ['user', 'human'],
        ['assistant', 'model'],
        ['tool', 'terminal'],
        ['assistant', 'model'],
      ]);
      const answer =
        'The person edited your command before running it; what ran was:\n```\necho edited\n```\nedited\n[exit code 0]';
      expect(conversation.messages[2]).toMatchObject({ toolCallId: 'call_1', content: answer });
      expect(conversation.messages[3]!.content).toBe(`Seen: ${answer}`);
    });

    it('answers a rejected tool call with the reason, and the model hears it', async () => {
      const server = await proposingModel('rm -rf /');
      const { t, id } = await setup();
      await t.api('PATCH', `/api/conversations/${id}`, {
        provider: 'openai-compatible',
        baseUrl: `${server.url}/v1`,
        model: 'scripted',
      });
      await t.api('POST', `/api/conversations/${id}/messages`, {
        role: 'user',
        content: 'clean up',
        send: true,
      });
      await settle(t.app);
      const { proposals } = await expectJson(
        await t.api('GET', `/api/conversations/${id}/proposals`),
        ProposalListSchema,
      );
      const rejected = await expectJson(
        await t.api('POST', `/api/proposals/${proposals[0]!.id}/reject`, { reason: 'too dangerous' }),
        ProposalSchema,
      );
      expect(rejected).toMatchObject({ status: 'rejected', reason: 'too dangerous' });
      await settle(t.app);
      const conversation = await expectJson(
        await t.api('GET', `/api/conversations/${id}`),
        ConversationWithMessagesSchema,
      );
      expect(conversation.messages.at(-2)).toMatchObject({
        role: 'tool',
        content: 'rejected by the user: too dangerous',
      });
      expect(conversation.messages.at(-1)!.content).toBe('Seen: rejected by the user: too dangerous');
      await expectJson(
        await t.api('POST', `/api/proposals/${proposals[0]!.id}/run`, {}),
        ProposalSchema.pick({}).passthrough(),
        409,
      );
    });

    it('does not call the model again after the person interrupts a command', async () => {
      const server = await proposingModel('sleep 30');
      const { t, id } = await setup();
      await t.api('PATCH', `/api/conversations/${id}`, {
        provider: 'openai-compatible',
        baseUrl: `${server.url}/v1`,
        model: 'scripted',
      });
      await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'wait', send: true });
      await settle(t.app);
      const { proposals } = await expectJson(
        await t.api('GET', `/api/conversations/${id}/proposals`),
        ProposalListSchema,
      );
      const running = await expectJson(
        await t.api('POST', `/api/proposals/${proposals[0]!.id}/run`, {}),
        ExecutionSchema,
      );
      expect(running.status).toBe('running');
      await expectJson(await t.api('POST', `/api/executions/${running.id}/interrupt`), ExecutionSchema);
      await settle(t.app);
      const conversation = await expectJson(
        await t.api('GET', `/api/conversations/${id}`),
        ConversationWithMessagesSchema,
      );
      expect(conversation.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
      expect(conversation.messages.at(-1)!.content).toContain('[interrupted by the user]');
      expect(server.requests.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(1);
    });

    it('says where commands run: the conversation’s own folder and the sandbox in use, or the chosen ones', async () => {
      const { t, id } = await setup();
      const automatic = await expectJson(
        await t.api('GET', `/api/conversations/${id}/terminal`),
        TerminalPlaceSchema,
      );
      expect(automatic).toEqual({
        workspace: join(t.dataDir, 'workspaces', id),
        sandbox: 'bwrap',
        sandboxChosen: false,
        network: false,
        problem: null,
      });
      const folder = makeTempDir('mp-workspace-');
      try {
        await t.api('PATCH', `/api/conversations/${id}`, {
          workspace: folder.path,
          sandbox: 'host',
          network: true,
        });
        const chosen = await expectJson(
          await t.api('GET', `/api/conversations/${id}/terminal`),
          TerminalPlaceSchema,
        );
        expect(chosen).toMatchObject({
          workspace: folder.path,
          sandbox: 'host',
          sandboxChosen: true,
          network: true,
        });
        const ran = await expectJson(
          await t.api('POST', `/api/conversations/${id}/run`, { command: 'pwd' }),
          ExecutionSchema,
        );
        expect(ran.output.trim()).toBe(folder.path);
        const missing = await t.api('PATCH', `/api/conversations/${id}`, {
          workspace: join(folder.path, 'nope'),
        });
        expect(missing.status).toBe(400);
      } finally {
        folder.remove();
      }
    });

    it('runs read-only commands by itself under the read-only policy, and asks for the rest', async () => {
      const { t, id } = await setup({ approvalPolicy: 'read-only' });
      await t.api('POST', `/api/conversations/${id}/messages`, {
        role: 'assistant',
        content: 'Look first:\n```bash\nls -la\n```\nthen\n```bash\ntouch made-by-model\n```\n',
      });
      await settle(t.app);
      const { proposals } = await expectJson(
        await t.api('GET', `/api/conversations/${id}/proposals`),
        ProposalListSchema,
      );
      expect(proposals.map((p) => [p.command, p.status])).toEqual([
        ['ls -la', 'completed'],
        ['touch made-by-model', 'proposed'],
      ]);
      expect(proposals[0]!.execution).toMatchObject({ status: 'completed', commandRun: 'ls -la' });
    });

    it('runs the whole text of an assistant message a person wrote, as the original app did', async () => {
      const { t, id } = await setup();
      const message = await expectJson(
        await t.api('POST', `/api/conversations/${id}/messages`, {
          role: 'assistant',
          content: 'echo typed by a person',
        }),
        MessageSchema,
        201,
      );
      await settle(t.app);
      expect(
        (await expectJson(await t.api('GET', `/api/conversations/${id}/proposals`), ProposalListSchema))
          .proposals,
      ).toEqual([]);
      const { proposals } = await expectJson(
        await t.api('POST', `/api/messages/${message.id}/propose`, {}),
        ProposalListSchema,
        201,
      );
      const execution = await expectJson(
        await t.api('POST', `/api/proposals/${proposals[0]!.id}/run`, {}),
        ExecutionSchema,
      );
      expect(execution.output).toContain('typed by a person');
      await settle(t.app);
      const conversation = await expectJson(
        await t.api('GET', `/api/conversations/${id}`),
        ConversationWithMessagesSchema,
      );
      expect(conversation.messages.at(-1)).toMatchObject({ role: 'user', author: 'terminal' });
    });

    it('interrupts a long command, and marks what a crash left running as interrupted', async () => {
      const { t, id } = await setup();
      const running = await expectJson(
        await t.api('POST', `/api/conversations/${id}/run`, { command: 'sleep 60' }),
        ExecutionSchema,
      );
      expect(running.status).toBe('running');
      await expectJson(await t.api('POST', `/api/executions/${running.id}/interrupt`), ExecutionSchema);
      await settle(t.app);
      const ended = await expectJson(await t.api('GET', `/api/executions/${running.id}`), ExecutionSchema);
      expect(ended.status).toBe('interrupted');

      const store = t.app.store;
      const leftover = await store.executions.start({
        conversationId: id,
        proposalId: null,
        commandProposed: null,
        commandRun: 'x',
        approvedBy: 'human',
        sandbox: 'bwrap',
        cwd: null,
      });
      // Left by a server process that is gone: a live one's running work is its own (issue 10 item 4).
      await store.engine.db
        .updateTable('executions')
        .set({ server_process: 'gone-host:1:gone' })
        .where('id', '=', leftover.id)
        .execute();
      await t.app.terminal.recoverAfterCrash();
      expect((await store.executions.get(leftover.id)).status).toBe('interrupted');
    });

    it('starts a turn with the run_command tool offered', async () => {
      const server = await proposingModel('true');
      const { t, id } = await setup();
      await t.api('PATCH', `/api/conversations/${id}`, {
        provider: 'openai-compatible',
        baseUrl: `${server.url}/v1`,
        model: 'scripted',
      });
      await t.api('POST', `/api/conversations/${id}/messages`, { role: 'user', content: 'hi' });
      await expectJson(
        await t.api('POST', `/api/conversations/${id}/generate`, {}),
        GenerationStartedSchema,
        202,
      );
      await settle(t.app);
      const request = server.requests.find((r) => r.path.endsWith('/chat/completions'))!;
      expect(JSON.stringify((request.body as { tools: unknown }).tools)).toContain('run_command');
    });
  });
});
