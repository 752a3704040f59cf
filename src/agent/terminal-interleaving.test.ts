/**
 * Requests that reach one proposal or one message at once. With an async store they interleave between
 * awaits (and on PostgreSQL two server processes can too): each case here passed a check, then wrote, and
 * another request slipped in between.
 */
import { beforeEach, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import { EventBus } from '../core/event-bus.ts';
import type { Store } from '../store/store.ts';
import type { ShellSessions } from './shell-sessions.ts';
import { Terminal } from './terminal.ts';

/** No shell is needed: these proposals are rejected or only made, under a policy that asks for each. */
const NO_SHELLS = {
  sandboxFor: async () => 'bwrap' as const,
  get: async () => {
    throw new Error('no command runs in these tests');
  },
} as unknown as ShellSessions;

describeEachEngine('terminal requests at once', (engine) => {
  let store: Store;
  let continued: string[];
  let terminal: Terminal;

  beforeEach(async () => {
    store = await engine.openStore();
    continued = [];
    terminal = new Terminal({
      store,
      events: new EventBus(),
      sessions: NO_SHELLS,
      continueConversation: async (conversationId) => {
        continued.push(conversationId);
      },
    });
  });

  async function modelMessage(content: string) {
    const conversation = await store.conversations.create({ settings: { approvalPolicy: 'ask' } });
    return store.messages.append(conversation.id, { role: 'assistant', author: 'model', content });
  }

  it('makes the proposals of a message once when its turn ends as a person runs its text', async () => {
    const message = await modelMessage('Try:\n```bash\nls\n```');
    await Promise.all([
      terminal.proposeFrom(message, { send: false }),
      terminal.proposeFrom(message, { send: false }),
    ]);
    expect((await store.proposals.forMessage(message.id)).map((proposal) => proposal.command)).toEqual([
      'ls',
    ]);
  });

  it('rejects a proposal once when two Rejects arrive at once, answering the model once', async () => {
    const message = await modelMessage('```bash\nrm -rf build\n```');
    const [proposal] = await terminal.proposeFrom(message, { send: false });
    const attempts = await Promise.allSettled([
      terminal.reject(proposal!.id, { reason: 'not now', send: false }),
      terminal.reject(proposal!.id, { reason: 'never', send: false }),
    ]);
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    const answers = (await store.messages.path(message.conversationId)).filter(
      (answer) => answer.author === 'human' && answer.content.includes('rejected by the user'),
    );
    expect(answers).toHaveLength(1);
  });

  it('calls the model again once when the last proposals of a message settle at once', async () => {
    const message = await modelMessage('```bash\nmake\n```\nthen\n```bash\nmake install\n```');
    const proposals = await terminal.proposeFrom(message, { send: false });
    expect(proposals).toHaveLength(2);
    await Promise.all(proposals.map((proposal) => terminal.reject(proposal.id, { send: true })));
    expect(continued).toEqual([message.conversationId]);
  });
});
