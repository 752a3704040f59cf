/**
 * Issue 10 item 3: "every stored action carries the account that did it" — who wrote a message, who edited a
 * revision, who approved a command, who asked the model. Pinned on both engines through the whole loop on a
 * team server: alice sends to a model, the model proposes a command, carol approves it, the loop calls the
 * model again. The account travels with the request's work (src/store/acting-account.ts), so it must also
 * hold for work that goes on after the request answered (the loop's next model call), and never come from
 * whoever happened to start a shell that is shared later (alice's shell runs carol's command as carol's).
 * Commands run on the host sandbox (`echo`), so the test needs no bwrap.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  runCommandStream,
  startOpenAiCompatibleServer,
  textStream,
} from '../providers/support/openai-script.ts';
import type { RecordedRequest, WireServer } from '../providers/support/wire-server.ts';
import { describeEachAppEngine } from '../support/app-engines.ts';
import { startTeamApp, type TeamApp, type TeamClient } from '../support/team-app.ts';
import { settle } from '../support/test-app.ts';

async function json<T>(response: Response, status = 200): Promise<T> {
  const body = (await response.json()) as T;
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

interface Revision {
  number: number;
  editor: string;
  account: { id: string; username: string } | null;
}

describeEachAppEngine('actions carry the account that did them', (engine) => {
  let team: TeamApp;
  let model: WireServer;
  let alice: TeamClient;
  let carol: TeamClient;
  let conversationId: string;

  beforeAll(async () => {
    model = await startOpenAiCompatibleServer((request: RecordedRequest) => {
      const messages = (request.body as { messages: { role: string }[] }).messages;
      return messages.at(-1)?.role === 'tool' ? textStream('done') : runCommandStream('echo from-the-model');
    });
    team = await startTeamApp(engine);
    alice = await team.as('alice');
    carol = await team.as('carol');
    const conversation = await json<{ id: string }>(
      await alice.api('POST', '/api/conversations', { title: 'loop' }),
      201,
    );
    conversationId = conversation.id;
    await json(
      await alice.api('PATCH', `/api/conversations/${conversationId}`, {
        provider: 'openai-compatible',
        baseUrl: `${model.url}/v1`,
        model: 'scripted',
      }),
    );
    // Only an admin may choose the host; commands there need no bwrap in this test.
    const root = await team.as('root');
    await json(await root.api('PATCH', `/api/conversations/${conversationId}`, { sandbox: 'host' }));
  });
  afterAll(async () => {
    await team?.close();
    await model?.close();
  });

  it('stamps the loop: alice asks, carol approves, the loop goes on as carol', async () => {
    const sent = await json<{ id: string }>(
      await alice.api('POST', `/api/conversations/${conversationId}/messages`, {
        role: 'user',
        content: 'run something',
        send: true,
      }),
      201,
    );
    await team.t.app.turns.whenIdle();
    await team.t.app.terminal.whenIdle();
    const revisions = await json<{ revisions: Revision[] }>(
      await alice.api('GET', `/api/messages/${sent.id}/revisions`),
    );
    expect(revisions.revisions.map((revision) => revision.account)).toEqual([
      { id: alice.account.id, username: 'alice' },
    ]);

    const { proposals } = await json<{
      proposals: { id: string; messageId: string; status: string; decidedByAccountId: string | null }[];
    }>(await carol.api('GET', `/api/conversations/${conversationId}/proposals`));
    expect(proposals).toHaveLength(1);
    const proposal = proposals[0]!;
    expect(proposal).toMatchObject({ status: 'proposed', decidedByAccountId: null });
    const firstCall = await json<{ accountId: string | null }>(
      await carol.api('GET', `/api/messages/${proposal.messageId}/call`),
    );
    expect(firstCall.accountId).toBe(alice.account.id);

    const execution = await json<{ id: string; approvedBy: string; accountId: string | null }>(
      await carol.api('POST', `/api/proposals/${proposal.id}/run`, {}),
    );
    expect(execution).toMatchObject({ approvedBy: 'human', accountId: carol.account.id });
    await settle(team.t.app);

    const after = await json<{ proposals: { decidedByAccountId: string | null; execution: unknown }[] }>(
      await alice.api('GET', `/api/conversations/${conversationId}/proposals`),
    );
    expect(after.proposals[0]).toMatchObject({
      decidedByAccountId: carol.account.id,
      execution: { accountId: carol.account.id, approvedBy: 'human' },
    });
    // The loop's next call started after carol's request had answered: it still carries carol.
    const read = await json<{ messages: { id: string; role: string; author: string }[] }>(
      await alice.api('GET', `/api/conversations/${conversationId}`),
    );
    const answer = read.messages.at(-1)!;
    expect(answer).toMatchObject({ role: 'assistant', author: 'model' });
    const secondCall = await json<{ accountId: string | null }>(
      await alice.api('GET', `/api/messages/${answer.id}/call`),
    );
    expect(secondCall.accountId).toBe(carol.account.id);
    const stored = await team.t.app.store.database.db
      .selectFrom('messages')
      .select(['author', 'account_id'])
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(stored.map((row) => [row.author, row.account_id])).toEqual([
      ['human', alice.account.id],
      ['model', alice.account.id],
      ['terminal', carol.account.id],
      ['model', carol.account.id],
    ]);
  });

  it('stamps an edit with its editor, keeping who wrote the revisions before', async () => {
    const written = await json<{ id: string }>(
      await alice.api('POST', `/api/conversations/${conversationId}/messages`, {
        role: 'user',
        content: 'v1',
      }),
      201,
    );
    await json(await carol.api('PATCH', `/api/messages/${written.id}`, { content: 'v2, corrected' }));
    const { revisions } = await json<{ revisions: Revision[] }>(
      await alice.api('GET', `/api/messages/${written.id}/revisions`),
    );
    expect(
      revisions.map((revision) => [revision.number, revision.editor, revision.account?.username]),
    ).toEqual([
      [1, 'human', 'alice'],
      [2, 'human', 'carol'],
    ]);
  });

  it('stamps a command typed into a shell another account opened with the account that typed it', async () => {
    const first = await json<{ accountId: string | null }>(
      await alice.api('POST', `/api/conversations/${conversationId}/run`, { command: 'echo alice' }),
    );
    expect(first.accountId).toBe(alice.account.id);
    await team.t.app.terminal.whenIdle();
    const second = await json<{ id: string; accountId: string | null }>(
      await carol.api('POST', `/api/conversations/${conversationId}/run`, { command: 'echo carol' }),
    );
    expect(second.accountId).toBe(carol.account.id);
    await team.t.app.terminal.whenIdle();
    const ended = await json<{ resultMessageId: string | null }>(
      await carol.api('GET', `/api/executions/${second.id}`),
    );
    const { revisions } = await json<{ revisions: Revision[] }>(
      await carol.api('GET', `/api/messages/${ended.resultMessageId}/revisions`),
    );
    expect(revisions.map((revision) => revision.account?.username)).toEqual(['carol']);
  });

  it('stamps nothing in token mode', async () => {
    const t = await engine.startApp();
    try {
      const conversation = await json<{ id: string; ownerAccountId: string | null }>(
        await t.api('POST', '/api/conversations', {}),
        201,
      );
      expect(conversation.ownerAccountId).toBeNull();
      const message = await json<{ id: string }>(
        await t.api('POST', `/api/conversations/${conversation.id}/messages`, { role: 'user', content: 'x' }),
        201,
      );
      const { revisions } = await json<{ revisions: Revision[] }>(
        await t.api('GET', `/api/messages/${message.id}/revisions`),
      );
      expect(revisions[0]?.account).toBeNull();
    } finally {
      await t.close();
    }
  });
});
