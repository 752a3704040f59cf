/**
 * The row source of dataset exports (issue 9): every stored fact about each conversation the filters take,
 * as one ConversationRecord at a time, so the builders (src/core/datasets) never read the store and an
 * export's memory follows a page of conversations, not the database.
 *
 * Conversations are read in pages by id (keyset, so a page costs the same at the end of a large table as
 * at its start); a page's messages, revisions, calls, proposals, executions, checkpoints, test runs and
 * labels are then read with one query per table for the whole page, not one per conversation or message.
 * A page stops early at `messageBudget` messages, so a few very long conversations do not all sit in memory
 * together. Filters run in SQL, before the LIMIT, so filtered-out conversations cost no page.
 *
 * Tombstoned conversations are never exported; deleted and unchecked messages are in the record (builders
 * decide what they take). Labels are the live ones (a changed or removed label is tombstoned).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { ExportFilters } from '../core/api/dataset-schemas.ts';
import type { ExecutionDto, ProposalDto } from '../core/api/terminal-schemas.ts';
import type { ConversationRecord, RecordLabel, RecordMessage } from '../core/datasets/conversation-record.ts';
import { InvalidRequestError } from '../core/errors.ts';
import { modelCallDto } from '../core/model-call-dto.ts';
import { checkpointRows, toCheckpoint } from './checkpoints.ts';
import { visibleToAccount } from './conversation-access.ts';
import { conversationFilterConditions } from './conversation-filters.ts';
import type { ConversationsTable, LabelsTable, StoreTables } from './engines/store-tables.ts';
import { toExecution } from './executions.ts';
import { toModelCall } from './model-calls.ts';
import { toProposal } from './proposals.ts';
import { type MessageRow, type RevisionRow, toConversation, toMessage, toRevision } from './rows.ts';
import type { StoreDatabase } from './store-database.ts';
import { toTestRun } from './test-runs.ts';

export interface DatasetSourceOptions {
  /** Conversations read per page (default 100). */
  pageSize?: number;
  /** A page ends once it holds this many messages (default 500; a page always takes one conversation). */
  messageBudget?: number;
  /** Only what this account may see (a team server's route); undefined or null: everything. */
  visibleTo?: string | null;
  /**
   * Let other work run between pages (default true). On SQLite every query resolves at once, so without it
   * an export holds the event loop from start to end: a server's other requests, timers and I/O would wait.
   * A command that does nothing else may turn it off: V8 then collects garbage on the way and grows its heap
   * less (bench/export.bench.ts: peak RSS 313 MiB against 400 for 300,000 messages).
   */
  shareEventLoop?: boolean;
}

type ConversationPageRow = Selectable<ConversationsTable>;
type Where = ExpressionBuilder<StoreTables & { c: ConversationsTable }, 'c'>;

/**
 * @example
 * for await (const record of datasetRecords(store.database, { tags: ['fixed'] })) builder.examples(record, options);
 */
export async function* datasetRecords(
  database: StoreDatabase,
  filters: ExportFilters,
  options: DatasetSourceOptions = {},
): AsyncGenerator<ConversationRecord> {
  checkSince(filters.since);
  const pages = conversationPages(
    (after, limit) =>
      database.db
        .selectFrom('conversations as c')
        .selectAll('c')
        .where((eb) => conversationFilter(eb, filters, options.visibleTo))
        .$if(after !== null, (query) => query.where('c.id', '>', after ?? ''))
        .orderBy('c.id')
        .limit(limit)
        .execute(),
    options,
  );
  for await (const page of pages) {
    yield* await readPage(database, page);
    if (options.shareEventLoop !== false) await nextTurn();
  }
}

/**
 * Conversations in pages of at most `pageSize` read, split further so a page holds at most `messageBudget`
 * messages (and always at least one conversation).
 */
async function* conversationPages<Row extends { id: string; message_count: number }>(
  fetch: (after: string | null, limit: number) => Promise<Row[]>,
  options: Pick<DatasetSourceOptions, 'pageSize' | 'messageBudget'>,
): AsyncGenerator<Row[]> {
  const pageSize = Math.max(1, options.pageSize ?? 100);
  const messageBudget = Math.max(1, options.messageBudget ?? 500);
  let after: string | null = null;
  let waiting: Row[] = [];
  let exhausted = false;
  for (;;) {
    if (waiting.length === 0 && !exhausted) {
      waiting = await fetch(after, pageSize);
      exhausted = waiting.length < pageSize;
      const last = waiting.at(-1);
      if (last !== undefined) after = last.id;
    }
    if (waiting.length === 0) return;
    let taken = 0;
    let messages = 0;
    while (
      taken < waiting.length &&
      (taken === 0 || messages + waiting[taken]!.message_count <= messageBudget)
    ) {
      messages += waiting[taken]!.message_count;
      taken++;
    }
    yield waiting.slice(0, taken);
    waiting = waiting.slice(taken);
  }
}

/**
 * How many conversations `datasetRecords` will yield with these filters, and how many messages they hold: a
 * progress bar's total, and how exactly an export can afford to count tokens.
 */
export async function countDataset(
  database: StoreDatabase,
  filters: ExportFilters,
  options: Pick<DatasetSourceOptions, 'visibleTo'> = {},
): Promise<{ conversations: number; messages: number }> {
  checkSince(filters.since);
  const row = await database.db
    .selectFrom('conversations as c')
    .select((eb) => [
      eb.fn.countAll<number>().as('conversations'),
      eb.fn.sum<number>('c.message_count').as('messages'),
    ])
    .where((eb) => conversationFilter(eb, filters, options.visibleTo))
    .executeTakeFirstOrThrow();
  return { conversations: Number(row.conversations), messages: Number(row.messages ?? 0) };
}

/** A bad date is the caller's mistake, said as such (the schema catches it first; this guards other callers). */
function checkSince(since: string | undefined): void {
  if (since !== undefined && Number.isNaN(new Date(since).getTime())) {
    throw new InvalidRequestError(
      `since: ${since} is not a date; write 2026-11-30 or 2026-11-30T12:00:00Z`,
      'since',
    );
  }
}

function conversationFilter(eb: Where, filters: ExportFilters, visibleTo: string | null | undefined) {
  const { conversationIds, ...shared } = filters;
  // Tags, ratings, outcomes, models and the date as the sidebar's filters read them: one meaning each.
  const conditions = [eb('c.deleted_at', 'is', null), ...conversationFilterConditions(eb, shared)];
  if (typeof visibleTo === 'string') conditions.push(visibleToAccount('c', visibleTo));
  if (given(conversationIds)) conditions.push(eb('c.id', 'in', conversationIds));
  return eb.and(conditions);
}

/** An empty list filters nothing, as a filter left out (a dialog with nothing picked sends one). */
function given<T>(values: readonly T[] | undefined): values is readonly T[] {
  return values !== undefined && values.length > 0;
}

interface PageRows {
  messages: Selectable<StoreTables['messages']>[];
  revisions: (RevisionRow & { token_count: number; conversation_id: string })[];
  modelCalls: Selectable<StoreTables['model_calls']>[];
  proposals: Selectable<StoreTables['proposals']>[];
  executions: Selectable<StoreTables['executions']>[];
  checkpoints: (Selectable<StoreTables['checkpoints']> & { result_message_id: string | null })[];
  testRuns: Selectable<StoreTables['test_runs']>[];
  labels: Selectable<LabelsTable>[];
}

/** One query per table for the whole page, then grouped by conversation in the page's order. */
async function readPage(database: StoreDatabase, page: ConversationPageRow[]): Promise<ConversationRecord[]> {
  const ids = page.map((row) => row.id);
  const db = database.db;
  const messages = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', 'in', ids)
    .orderBy('conversation_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const revisions = await db
    .selectFrom('message_revisions as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    .leftJoin('accounts as a', 'a.id', 'r.account_id')
    .select([
      'r.id',
      'r.message_id',
      'r.number',
      'r.content',
      'r.editor',
      'r.created_at',
      'r.account_id',
      'r.token_count',
      'm.conversation_id',
      'a.username as account_username',
    ])
    .where('m.conversation_id', 'in', ids)
    .orderBy('r.message_id')
    .orderBy('r.number')
    .execute();
  const rows: PageRows = {
    messages,
    // The editor column holds an `Editor`: the store writes no other value there.
    revisions: revisions as PageRows['revisions'],
    modelCalls: await db
      .selectFrom('model_calls')
      .selectAll()
      .where('conversation_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    proposals: await db
      .selectFrom('proposals')
      .selectAll()
      .where('conversation_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('position')
      .orderBy('id')
      .execute(),
    executions: await db
      .selectFrom('executions')
      .selectAll()
      .where('conversation_id', 'in', ids)
      .orderBy('started_at')
      .orderBy('id')
      .execute(),
    checkpoints: await checkpointRows(db)
      .where('c.conversation_id', 'in', ids)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute(),
    testRuns: await db
      .selectFrom('test_runs')
      .selectAll()
      .where('conversation_id', 'in', ids)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    labels: await db
      .selectFrom('labels')
      .selectAll()
      .where('conversation_id', 'in', ids)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  };
  const grouped = Object.fromEntries(
    Object.entries(rows).map(([table, list]) => [
      table,
      groupBy(list as { conversation_id: string | null }[], 'conversation_id'),
    ]),
  ) as { [T in keyof PageRows]: Map<string | null, PageRows[T]> };
  return page.map((conversation) => toRecord(conversation, grouped));
}

/** Rows of one table grouped by a column, each group in the order the query returned. */
function groupBy<T, K extends keyof T>(rows: T[], column: K): Map<T[K], T[]> {
  const groups = new Map<T[K], T[]>();
  for (const row of rows) {
    const group = groups.get(row[column]);
    if (group === undefined) groups.set(row[column], [row]);
    else group.push(row);
  }
  return groups;
}

function toRecord(
  conversation: ConversationPageRow,
  rows: { [T in keyof PageRows]: Map<string | null, PageRows[T]> },
): ConversationRecord {
  const mine = <T>(groups: Map<string | null, T[]>): T[] => groups.get(conversation.id) ?? [];
  const revisions = groupBy(mine(rows.revisions), 'message_id');
  const executions = mine(rows.executions).map(toExecution);
  const latest = latestExecutions(executions);
  return {
    conversation: toConversation(conversation),
    messages: mine(rows.messages).map((row) => toRecordMessage(row, revisions.get(row.id) ?? [])),
    modelCalls: mine(rows.modelCalls).map((row) => modelCallDto(toModelCall(row))),
    proposals: mine(rows.proposals).map(
      (row): ProposalDto => ({ ...toProposal(row), execution: latest.get(row.id) ?? null }),
    ),
    executions,
    checkpoints: mine(rows.checkpoints).map(toCheckpoint),
    testRuns: mine(rows.testRuns).map(toTestRun),
    labels: mine(rows.labels).map(toRecordLabel),
  };
}

function toRecordMessage(
  row: Selectable<StoreTables['messages']>,
  revisions: (RevisionRow & { token_count: number })[],
): RecordMessage {
  // The current revision is the one numbered revision_count, as the store's message reads join it.
  const current = revisions.find((revision) => revision.number === row.revision_count);
  const messageRow: MessageRow = {
    ...row,
    content: current?.content ?? row.draft_content ?? '',
    token_count: current?.token_count ?? 0,
    status: row.status as MessageRow['status'],
  };
  const { siblingIds: _siblings, ...message } = toMessage(messageRow);
  return { ...message, revisions: revisions.map(toRevision) };
}

/** Executions are oldest first, so the last one seen per proposal is its latest. */
function latestExecutions(executions: ExecutionDto[]): Map<string, ExecutionDto> {
  const latest = new Map<string, ExecutionDto>();
  for (const execution of executions) {
    if (execution.proposalId !== null) latest.set(execution.proposalId, execution);
  }
  return latest;
}

function toRecordLabel(row: Selectable<LabelsTable>): RecordLabel {
  return {
    id: row.id,
    targetKind: row.target_kind as RecordLabel['targetKind'],
    targetId: row.target_id,
    name: row.name as RecordLabel['name'],
    value: row.value ?? '',
    reason: row.reason,
    accountId: row.account_id,
    createdAt: row.created_at,
  };
}
