/**
 * A one-off request to the conversation's model for a text a person will edit (a summary of a range, a
 * commit message), recorded in model_calls like any turn but adding no message by itself: the caller decides
 * where the text goes.
 */
import { AppError } from '../core/errors.ts';
import type { ProviderDialect, ProviderMessage, TurnEvent } from '../core/provider.ts';
import type { Store } from '../store/store.ts';
import { ContextTooLargeError, type ProviderResolver } from './model-turns.ts';

/** The model failed or answered nothing; the call is recorded with the reason. */
export class DraftFailedError extends AppError {
  constructor(what: string, reason: string) {
    super('draft_failed', `the model could not draft ${what}: ${reason}. Try again, or write it yourself.`);
    this.name = 'DraftFailedError';
  }
}

/**
 * @example
 * const { content, modelCallId } = await draftWithModel({ store, providers, conversationId,
 *   what: 'the commit message', messages: () => [{ role: 'user', content: 'Write a commit message for …' }] });
 */
export async function draftWithModel(options: {
  store: Store;
  providers: ProviderResolver;
  conversationId: string;
  /** Named in errors: "the summary", "the commit message". */
  what: string;
  messages: (dialect: ProviderDialect) => ProviderMessage[];
  maxOutputTokens?: number;
}): Promise<{ content: string; modelCallId: string }> {
  const { store, conversationId } = options;
  const conversation = await store.conversations.get(conversationId);
  const choice = await options.providers.resolve(conversation.settings);
  const input = {
    model: choice.model,
    messages: options.messages(choice.provider.dialect),
    ...(choice.temperature === undefined ? {} : { temperature: choice.temperature }),
    ...(choice.maxOutputTokens === undefined && options.maxOutputTokens === undefined
      ? {}
      : { maxOutputTokens: options.maxOutputTokens ?? choice.maxOutputTokens }),
  };
  const preview = await choice.provider.preview(input);
  if (!preview.budget.fits) {
    throw new ContextTooLargeError(`The request for ${options.what} does not fit: ${preview.budget.message}`);
  }
  const call = await store.modelCalls.create({
    conversationId,
    provider: choice.provider.id,
    model: choice.model,
    baseUrl: choice.provider.baseUrl,
    request: JSON.stringify(preview.request),
  });
  let finish: Extract<TurnEvent, { type: 'finish' }> | undefined;
  // A provider that throws instead of finishing with an error must not leave the call `running`.
  let thrown: string | null = null;
  try {
    for await (const event of choice.provider.streamTurn({
      ...input,
      ...(preview.budget.maxOutputTokens === null ? {} : { maxOutputTokens: preview.budget.maxOutputTokens }),
    })) {
      if (event.type === 'finish') finish = event;
    }
  } catch (cause) {
    thrown = cause instanceof Error ? cause.message : String(cause);
  }
  const content = finish?.message.content ?? '';
  const failed =
    thrown !== null || finish === undefined || finish.reason === 'error' || content.trim() === '';
  const error = failed ? (thrown ?? finish?.failure?.message ?? 'the model answered with no text') : null;
  await store.modelCalls.finish(call.id, {
    status:
      finish === undefined || finish.reason === 'error'
        ? 'error'
        : finish.reason === 'stopped'
          ? 'stopped'
          : 'completed',
    request: JSON.stringify(finish?.record.request ?? preview.request),
    response: finish?.record.response ?? null,
    assembled: JSON.stringify(finish?.message ?? { content }),
    usage: (finish?.usage ?? null) as Record<string, unknown> | null,
    finishReason: finish?.reason ?? null,
    timeToFirstTokenMs: finish?.record.timeToFirstTokenMs ?? null,
    durationMs: finish?.record.durationMs ?? null,
    error,
  });
  if (error !== null) throw new DraftFailedError(options.what, error);
  return { content, modelCallId: call.id };
}
