/**
 * The row source of dataset exports (issue 9): every stored fact about each conversation the filters take,
 * as one ConversationRecord at a time, so the builders (src/core/datasets) never read the store and an
 * export's memory follows a page of conversations, not the database.
 *
 * Conversations are read in pages by id (keyset, so a page costs the same at the end of a large table as
 * at its start); a page's messages with their revisions, proposals, executions, test runs and labels are
 * then read with one query per table for the whole page, not one per conversation or message, each built
 * and compiled once. Model calls and checkpoints are not read: no builder uses them, and a model call's
 * request holds its whole context (the dump has them all).
 * A page stops early at `messageBudget` messages, so a few very long conversations do not all sit in memory
 * together. Filters run in SQL, before the LIMIT, so filtered-out conversations cost no page.
 *
 * Tombstoned conversations are never exported; deleted and unchecked messages are in the record (builders
 * decide what they take). Labels are the live ones (a changed or removed label is tombstoned).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import type { ExportFilters } from '../core/api/dataset-schemas.ts';
import type { ExecutionDto, ProposalDto } from '../core/api/terminal-schemas.ts';
import type { ConversationRecord, RecordLabel, RecordMessage } from '../core/datasets/conversation-record.ts';
import type { Editor, ToolCall } from '../core/domain.ts';
import { InvalidRequestError } from '../core/errors.ts';
import { CompiledOnce } from './compiled-once.ts';
import { visibleToAccount } from './conversation-access.ts';
import { conversationFilterConditions } from './conversation-filters.ts';
import type { ConversationsTable, LabelsTable, StoreTables } from './engines/store-tables.ts';
import { toExecution } from './executions.ts';
import { toProposal } from './proposals.ts';
import { toConversation } from './rows.ts';
import type { StoreDatabase } from './store-database.ts';
import { toTestRun } from './test-runs.ts';

export interface DatasetSourceOptions {
  /** Conversations read per page (default and most: 100). */
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
  const pageSize = Math.min(PAGE_SLOTS, Math.max(1, options.pageSize ?? PAGE_SLOTS));
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

/**
 * Conversations a page's queries take at most: each query takes exactly this many ids (the unused ones
 * null, which `IN` never matches), so it is built and compiled once per export engine, not once per page.
 */
const PAGE_SLOTS = 100;

/** `m.conversation_id IN (…PAGE_SLOTS ids)`, for a CompiledOnce builder. */
type PageIds = (string | null)[];

/**
 * Every message of the page with its revisions, one row per revision (a message still streaming, with no
 * revision yet, one row with null revision columns), in the record's order: conversation, then creation,
 * then revision number. Only the columns a record holds are read (RecordMessage): an export reads every
 * message, and each column is a string made per message (bench/RESULTS.md, "export").
 */
const pageMessages = new CompiledOnce((db, ...ids: PageIds) =>
  db
    .selectFrom('messages as m')
    .leftJoin('message_revisions as r', 'r.message_id', 'm.id')
    .select((eb) => [
      'm.id',
      'm.conversation_id',
      'm.parent_id',
      'm.role',
      'm.author',
      'm.included',
      'm.status',
      'm.revision_count',
      // Most messages call no tool: null costs less to read than the text '[]', and needs no parse.
      eb
        .case()
        .when('m.tool_calls', '=', '[]')
        .then(sql<string | null>`NULL`)
        .else(eb.ref('m.tool_calls'))
        .end()
        .as('tool_calls'),
      'm.tool_call_id',
      'm.draft_content',
      eb(eb.ref('m.deleted_at'), 'is not', null).as('deleted'),
      'm.summarizes',
      'r.number',
      'r.content',
      'r.editor',
    ])
    .where('m.conversation_id', 'in', ids)
    .orderBy('m.conversation_id')
    .orderBy('m.created_at')
    .orderBy('m.id')
    .orderBy('r.number'),
);

const pageProposals = new CompiledOnce((db, ...ids: PageIds) =>
  db
    .selectFrom('proposals')
    .selectAll()
    .where('conversation_id', 'in', ids)
    .orderBy('created_at')
    .orderBy('position')
    .orderBy('id'),
);

const pageExecutions = new CompiledOnce((db, ...ids: PageIds) =>
  db
    .selectFrom('executions')
    .selectAll()
    .where('conversation_id', 'in', ids)
    .orderBy('started_at')
    .orderBy('id'),
);

const pageTestRuns = new CompiledOnce((db, ...ids: PageIds) =>
  db
    .selectFrom('test_runs')
    .selectAll()
    .where('conversation_id', 'in', ids)
    .orderBy('created_at')
    .orderBy('id'),
);

const pageLabels = new CompiledOnce((db, ...ids: PageIds) =>
  db
    .selectFrom('labels')
    .selectAll()
    .where('conversation_id', 'in', ids)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id'),
);

type MessageRevisionRow = Awaited<ReturnType<typeof pageMessages.execute>>['rows'][number];

/** One query per table for the whole page, then grouped by conversation in the page's order. */
async function readPage(database: StoreDatabase, page: ConversationPageRow[]): Promise<ConversationRecord[]> {
  const ids: PageIds = page.map((row) => row.id);
  while (ids.length < PAGE_SLOTS) ids.push(null);
  const messages = groupBy((await pageMessages.execute(database, ...ids)).rows, 'conversation_id');
  const proposals = groupBy((await pageProposals.execute(database, ...ids)).rows, 'conversation_id');
  const executions = groupBy((await pageExecutions.execute(database, ...ids)).rows, 'conversation_id');
  const testRuns = groupBy((await pageTestRuns.execute(database, ...ids)).rows, 'conversation_id');
  const labels = groupBy((await pageLabels.execute(database, ...ids)).rows, 'conversation_id');
  return page.map((conversation): ConversationRecord => {
    const id = conversation.id;
    const ran = (executions.get(id) ?? []).map(toExecution);
    const latest = latestExecutions(ran);
    return {
      conversation: toConversation(conversation),
      messages: recordMessages(messages.get(id) ?? []),
      proposals: (proposals.get(id) ?? []).map(
        (row): ProposalDto => ({ ...toProposal(row), execution: latest.get(row.id) ?? null }),
      ),
      executions: ran,
      testRuns: (testRuns.get(id) ?? []).map(toTestRun),
      labels: (labels.get(id) ?? []).map(toRecordLabel),
    };
  });
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

/** A conversation's rows (a message's revisions in a run, oldest first) as messages with their revisions. */
function recordMessages(rows: MessageRevisionRow[]): RecordMessage[] {
  const messages: RecordMessage[] = [];
  let message: RecordMessage | undefined;
  for (const row of rows) {
    if (message === undefined || message.id !== row.id) {
      message = {
        id: row.id,
        parentId: row.parent_id,
        role: row.role as RecordMessage['role'],
        author: row.author,
        included: row.included === 1,
        // PostgreSQL answers a boolean, SQLite 0 or 1.
        deleted: Boolean(row.deleted),
        // The current revision (numbered revision_count) sets it below; a message without one has its draft.
        content: row.draft_content ?? '',
        status: row.status as RecordMessage['status'],
        toolCalls: row.tool_calls === null ? [] : (JSON.parse(row.tool_calls) as ToolCall[]),
        toolCallId: row.tool_call_id,
        summarizes: row.summarizes === null ? null : (JSON.parse(row.summarizes) as string[]),
        revisions: [],
      };
      messages.push(message);
    }
    if (row.number === null) continue;
    // The editor column holds an `Editor`: the store writes no other value there.
    message.revisions.push({ number: row.number, content: row.content!, editor: row.editor as Editor });
    if (row.number === row.revision_count) message.content = row.content!;
  }
  return messages;
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
