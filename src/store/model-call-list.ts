/**
 * Every model call of a conversation, as a short list (issue 9 item 1): including calls that produced no
 * message (a failed or stopped call, and the calls the legacy importer keeps without one). Only the columns a
 * list shows are read: a call's request and response can be large, and the inspector fetches one whole call
 * when it is opened (`GET /api/model-calls/:id`).
 */
import type { ModelCallListItem } from '../core/api/review-schemas.ts';
import type { StoreDatabase } from './store-database.ts';

/**
 * Oldest first.
 *
 * @example
 * const calls = await listModelCalls(store.database, conversationId);
 * calls.filter((call) => call.messageId === null); // calls that left no message
 */
export async function listModelCalls(
  database: StoreDatabase,
  conversationId: string,
): Promise<ModelCallListItem[]> {
  const rows = await database.db
    .selectFrom('model_calls')
    .select([
      'id',
      'message_id',
      'provider',
      'model',
      'status',
      'finish_reason',
      'error',
      'usage',
      'duration_ms',
      'created_at',
    ])
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => {
    const usage = parseUsage(row.usage);
    return {
      id: row.id,
      messageId: row.message_id,
      provider: row.provider,
      model: row.model,
      status: row.status,
      finishReason: row.finish_reason,
      error: row.error,
      inputTokens: usage.input,
      outputTokens: usage.output,
      durationMs: row.duration_ms,
      createdAt: row.created_at,
    };
  });
}

/**
 * Our own calls store `{inputTokens, outputTokens}`; an imported one may keep the provider's names
 * (`prompt_tokens`, `input_tokens`), which are read too rather than shown as unknown.
 */
function parseUsage(text: string | null): { input: number | null; output: number | null } {
  if (text === null) return { input: null, output: null };
  let usage: Record<string, unknown>;
  try {
    usage = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { input: null, output: null };
  }
  const first = (...keys: string[]) => {
    for (const key of keys) if (typeof usage[key] === 'number') return usage[key] as number;
    return null;
  };
  return {
    input: first('inputTokens', 'prompt_tokens', 'input_tokens'),
    output: first('outputTokens', 'completion_tokens', 'output_tokens'),
  };
}
