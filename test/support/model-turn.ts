/**
 * One model turn through the API, started as a person starts one: a new conversation (so the config's
 * default model answers), a user message sent to the model, and the wait until the turn has ended.
 */
import { ConversationWithMessagesSchema, type MessageDto } from '../../src/core/api/schemas.ts';
import { expectJson, type TestApp } from './test-app.ts';

/** The conversation's last message once the turn ended, and the raw text of its recorded model call. */
export async function turnInNewConversation(
  t: TestApp,
  content: string,
): Promise<{ answer: MessageDto; call: string }> {
  const conversation = await expectJson(
    await t.api('POST', '/api/conversations', {}),
    ConversationWithMessagesSchema,
    201,
  );
  await t.api('POST', `/api/conversations/${conversation.id}/messages`, {
    role: 'user',
    content,
    send: true,
  });
  await t.app.turns.whenIdle();
  const read = await expectJson(
    await t.api('GET', `/api/conversations/${conversation.id}`),
    ConversationWithMessagesSchema,
  );
  const answer = read.messages.at(-1)!;
  const call = await (await t.api('GET', `/api/messages/${answer.id}/call`)).text();
  return { answer, call };
}
