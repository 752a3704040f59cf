import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationWithMessagesSchema } from '../src/core/api/schemas.ts';
import { ProposalListSchema, ProposalSchema } from '../src/core/api/terminal-schemas.ts';
import { hasExecutable, hasSharedFixture, requirement, sharedFixture } from './support/environment.ts';
import { settle, startTestApp, type TestApp } from './support/test-app.ts';

const available =
  requirement(
    '../shared/fixtures/models/tiny-random-llama.gguf',
    hasSharedFixture('models', 'tiny-random-llama.gguf'),
  ) && requirement('bwrap (bubblewrap)', hasExecutable('bwrap'));

let t: TestApp;
beforeAll(async () => {
  if (!available) return;
  // threads: 1 — the model's README: the default thread count on two cores is about 100 times slower.
  t = await startTestApp({
    config: {
      defaults: {},
      providers: { 'llama-cpp': { type: 'llama-cpp', gpu: false, threads: 1, contextSize: 8192 } },
    },
  });
});
afterAll(async () => {
  await t?.close();
});

describe.runIf(available)('a real in-process model through the whole loop', () => {
  it('makes a real tool call that becomes a proposal; the rejection goes back and the model answers', async () => {
    const created = ConversationWithMessagesSchema.parse(
      await (await t.api('POST', '/api/conversations', { title: 'GGUF' })).json(),
    );
    const id = created.id;
    await t.api('PATCH', `/api/conversations/${id}`, {
      provider: 'llama-cpp',
      model: sharedFixture('models', 'tiny-random-llama.gguf'),
      temperature: 0,
    });
    const sent = await t.api('POST', `/api/conversations/${id}/messages`, {
      role: 'user',
      content: 'List the files',
      send: true,
    });
    expect(sent.status).toBe(201);
    await settle(t.app);

    const first = ConversationWithMessagesSchema.parse(
      await (await t.api('GET', `/api/conversations/${id}`)).json(),
    );
    const answer = first.messages.find((message) => message.role === 'assistant')!;
    expect(answer).toMatchObject({ author: 'model', status: 'complete' });
    expect(answer.toolCalls).toHaveLength(1);
    // Offered run_command and the file tools, the tiny model calls one of them (which one is its weights').
    const tool = answer.toolCalls[0]!.name;
    expect(['run_command', 'read_file', 'write_file', 'edit_file']).toContain(tool);

    const { proposals } = ProposalListSchema.parse(
      await (await t.api('GET', `/api/conversations/${id}/proposals`)).json(),
    );
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ messageId: answer.id, toolCallId: answer.toolCalls[0]!.id });

    // The tiny model's arguments are minimal (an empty command or path): the call is answered at once with an
    // error the model can act on, and the loop goes on. A usable call waits for the person, who rejects it.
    if (proposals[0]!.status === 'proposed') {
      const rejected = ProposalSchema.parse(
        await (
          await t.api('POST', `/api/proposals/${proposals[0]!.id}/reject`, { reason: 'not now' })
        ).json(),
      );
      expect(rejected.status).toBe('rejected');
      await settle(t.app);
    } else {
      expect(proposals[0]).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(new RegExp(`^${tool} arguments`)),
      });
    }
    const final = ConversationWithMessagesSchema.parse(
      await (await t.api('GET', `/api/conversations/${id}`)).json(),
    );
    expect(final.messages.map((message) => [message.role, message.author])).toEqual([
      ['user', 'human'],
      ['assistant', 'model'],
      ['tool', 'terminal'],
      ['assistant', 'model'],
    ]);
    const tail = final.messages.slice(-2);
    expect(tail[0]).toMatchObject({ toolCallId: answer.toolCalls[0]!.id });
    expect(tail[0]!.content).toMatch(new RegExp(`^(rejected by the user: not now|${tool} arguments)`));
    expect(tail[1]).toMatchObject({ content: 'OK', status: 'complete' });

    const call = (await (await t.api('GET', `/api/messages/${tail[1]!.id}/call`)).json()) as {
      provider: string;
      status: string;
    };
    expect(call).toMatchObject({ provider: 'llama-cpp', status: 'completed' });
  });
});
