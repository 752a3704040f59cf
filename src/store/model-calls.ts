import type { ModelCall, ModelCallStatus } from '../core/domain.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import type { SqliteDatabase } from './open-database.ts';
import { prepared } from './prepared.ts';

export interface NewModelCall {
  conversationId: string;
  messageId?: string | null;
  provider: string;
  model: string;
  baseUrl?: string | null;
  request: string;
  response?: string | null;
  assembled?: string | null;
  usage?: Record<string, unknown> | null;
  finishReason?: string | null;
  status?: ModelCallStatus;
  timeToFirstTokenMs?: number | null;
  durationMs?: number | null;
  error?: string | null;
  /** Importers keep original timestamps. */
  createdAt?: string;
  endedAt?: string | null;
}

interface ModelCallRow {
  id: string;
  conversation_id: string;
  message_id: string | null;
  provider: string;
  model: string;
  base_url: string | null;
  request: string;
  response: string | null;
  assembled: string | null;
  usage: string | null;
  finish_reason: string | null;
  status: ModelCallStatus;
  time_to_first_token_ms: number | null;
  duration_ms: number | null;
  error: string | null;
  created_at: string;
  ended_at: string | null;
}

/** Model calls: the exact request and raw response of each call to a provider. */
export class ModelCallRepository {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  create(input: NewModelCall): ModelCall {
    const id = newId();
    prepared(
      this.#db,
      `INSERT INTO model_calls (id, conversation_id, message_id, provider, model, base_url, request, response,
           assembled, usage, finish_reason, status, time_to_first_token_ms, duration_ms, error, created_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      input.conversationId,
      input.messageId ?? null,
      input.provider,
      input.model,
      input.baseUrl ?? null,
      input.request,
      input.response ?? null,
      input.assembled ?? null,
      input.usage == null ? null : JSON.stringify(input.usage),
      input.finishReason ?? null,
      input.status ?? 'running',
      input.timeToFirstTokenMs ?? null,
      input.durationMs ?? null,
      input.error ?? null,
      input.createdAt ?? nowIso(),
      input.endedAt ?? null,
    );
    return this.get(id);
  }

  /** Records how a running call ended: the exact request as sent, the raw response, usage and timings. */
  finish(id: string, end: ModelCallEnd): ModelCall {
    prepared(
      this.#db,
      `UPDATE model_calls SET status = ?, request = ?, response = ?, assembled = ?, usage = ?, finish_reason = ?,
         time_to_first_token_ms = ?, duration_ms = ?, error = ?, ended_at = ? WHERE id = ?`,
    ).run(
      end.status,
      end.request,
      end.response,
      end.assembled,
      end.usage === null ? null : JSON.stringify(end.usage),
      end.finishReason,
      end.timeToFirstTokenMs,
      end.durationMs,
      end.error,
      nowIso(),
      id,
    );
    return this.get(id);
  }

  linkMessage(id: string, messageId: string): void {
    prepared(this.#db, 'UPDATE model_calls SET message_id = ? WHERE id = ?').run(messageId, id);
  }

  /** The call that produced a message, if a model produced it. */
  forMessage(messageId: string): ModelCall | undefined {
    const row = prepared<[string], ModelCallRow>(
      this.#db,
      'SELECT * FROM model_calls WHERE message_id = ? ORDER BY created_at DESC LIMIT 1',
    ).get(messageId);
    return row === undefined ? undefined : toModelCall(row);
  }

  /** After a crash: calls still marked running were cut off. Returns how many. */
  markRunningInterrupted(reason: string): number {
    return prepared(
      this.#db,
      "UPDATE model_calls SET status = 'error', error = ?, ended_at = ? WHERE status = 'running'",
    ).run(reason, nowIso()).changes;
  }

  get(id: string): ModelCall {
    const row = prepared<[string], ModelCallRow>(this.#db, 'SELECT * FROM model_calls WHERE id = ?').get(id);
    if (!row) throw new NotFoundError('model call', id);
    return toModelCall(row);
  }
}

export interface ModelCallEnd {
  status: ModelCallStatus;
  request: string;
  response: string | null;
  assembled: string | null;
  usage: Record<string, unknown> | null;
  finishReason: string | null;
  timeToFirstTokenMs: number | null;
  durationMs: number | null;
  error: string | null;
}

function toModelCall(row: ModelCallRow): ModelCall {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    provider: row.provider,
    model: row.model,
    baseUrl: row.base_url,
    request: row.request,
    response: row.response,
    assembled: row.assembled,
    usage: row.usage === null ? null : (JSON.parse(row.usage) as Record<string, unknown>),
    finishReason: row.finish_reason,
    status: row.status,
    timeToFirstTokenMs: row.time_to_first_token_ms,
    durationMs: row.duration_ms,
    error: row.error,
    createdAt: row.created_at,
    endedAt: row.ended_at,
  };
}
