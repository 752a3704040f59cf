import type { Selectable } from 'kysely';
import type { ModelCall, ModelCallStatus } from '../core/domain.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import { currentAccountId } from './acting-account.ts';
import type { ModelCallsTable } from './engines/store-tables.ts';
import { processGone } from './process-liveness.ts';
import type { StoreDatabase } from './store-database.ts';

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

type ModelCallRow = Selectable<ModelCallsTable>;

/** Model calls: the exact request and raw response of each call to a provider. */
export class ModelCallRepository {
  readonly #database: StoreDatabase;
  readonly #serverProcess: string | null;

  /** `serverProcess`: this process's id, written on the calls it runs (process-liveness.ts). */
  constructor(database: StoreDatabase, options: { serverProcess?: string } = {}) {
    this.#database = database;
    this.#serverProcess = options.serverProcess ?? null;
  }

  async create(input: NewModelCall): Promise<ModelCall> {
    const id = newId();
    await this.#database.db
      .insertInto('model_calls')
      .values({
        id,
        conversation_id: input.conversationId,
        message_id: input.messageId ?? null,
        provider: input.provider,
        model: input.model,
        base_url: input.baseUrl ?? null,
        request: input.request,
        response: input.response ?? null,
        assembled: input.assembled ?? null,
        usage: input.usage == null ? null : JSON.stringify(input.usage),
        finish_reason: input.finishReason ?? null,
        status: input.status ?? 'running',
        time_to_first_token_ms: input.timeToFirstTokenMs ?? null,
        duration_ms: input.durationMs ?? null,
        error: input.error ?? null,
        created_at: input.createdAt ?? nowIso(),
        ended_at: input.endedAt ?? null,
        server_process: (input.status ?? 'running') === 'running' ? this.#serverProcess : null,
        // Who asked for it: the request that started the turn, also when the loop goes on after it answered.
        account_id: currentAccountId(),
      })
      .execute();
    return this.get(id);
  }

  /** Records how a running call ended: the exact request as sent, the raw response, usage and timings. */
  async finish(id: string, end: ModelCallEnd): Promise<ModelCall> {
    await this.#database.db
      .updateTable('model_calls')
      .set({
        status: end.status,
        request: end.request,
        response: end.response,
        assembled: end.assembled,
        usage: end.usage === null ? null : JSON.stringify(end.usage),
        finish_reason: end.finishReason,
        time_to_first_token_ms: end.timeToFirstTokenMs,
        duration_ms: end.durationMs,
        error: end.error,
        ended_at: nowIso(),
      })
      .where('id', '=', id)
      .execute();
    return this.get(id);
  }

  async linkMessage(id: string, messageId: string): Promise<void> {
    await this.#database.db
      .updateTable('model_calls')
      .set({ message_id: messageId })
      .where('id', '=', id)
      .execute();
  }

  /** The call that produced a message, if a model produced it. */
  async forMessage(messageId: string): Promise<ModelCall | undefined> {
    const row = await this.#database.db
      .selectFrom('model_calls')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toModelCall(row);
  }

  /**
   * After a crash: calls still marked running were cut off. Returns how many. On a PostgreSQL database
   * shared by several server processes, the calls a live process is streaming are left to it.
   */
  async markRunningInterrupted(reason: string): Promise<number> {
    const result = await this.#database.db
      .updateTable('model_calls')
      .set({ status: 'error', error: reason, ended_at: nowIso() })
      .where('status', '=', 'running')
      .where((eb) => processGone(this.#database, eb.ref('server_process')))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async get(id: string): Promise<ModelCall> {
    const row = await this.#database.db
      .selectFrom('model_calls')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
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

export function toModelCall(row: ModelCallRow): ModelCall {
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
    status: row.status as ModelCallStatus,
    timeToFirstTokenMs: row.time_to_first_token_ms,
    durationMs: row.duration_ms,
    error: row.error,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    accountId: row.account_id,
  };
}
