/**
 * The store's tables as Kysely sees them: one description for both engines, because both schemas store the
 * same values in the same shapes (ids, timestamps and JSON as TEXT, flags as 0/1 INTEGER; see
 * postgres-migrations.ts). Kept in step with migrations.ts and postgres-migrations.ts at the version named
 * below; `Generated` marks a column the database fills when an insert leaves it out.
 *
 * The search index differs per engine (FTS5 on SQLite, tsvector on PostgreSQL) and is reached through each
 * engine's own search code, so only the queue in front of it is here.
 */
import type { Generated } from 'kysely';

/** The schema version these types describe (SQLite `user_version`, PostgreSQL `mp_schema_migrations`). */
export const STORE_TABLES_VERSION = 11;

/** ISO-8601 UTC with milliseconds, as `nowIso()` writes it: sorts as text in time order on both engines. */
export type IsoTime = string;
/** JSON text, stored as written: byte-identical on both engines (PostgreSQL's jsonb would reorder keys). */
export type JsonText = string;
/** SQLite has no boolean; PostgreSQL stores the same 0/1 so rows compare equal across engines. */
export type Flag = 0 | 1;

export interface ConversationsTable {
  id: string;
  title: Generated<string>;
  description: Generated<string>;
  startup_script: Generated<string>;
  current_leaf_id: string | null;
  settings: Generated<JsonText>;
  forked_from_conversation_id: string | null;
  forked_from_message_id: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
  deleted_at: IsoTime | null;
  /** Live messages, kept by triggers (version 3). */
  message_count: Generated<number>;
  /** Totals along the current path with the leaf they were counted for (version 3). */
  path_stats: JsonText | null;
  /** The account that made it; null when made without accounts (version 7). */
  owner_account_id: string | null;
  /** Who else sees it on a team server (version 7). */
  visibility: Generated<'private' | 'team'>;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: 'system' | 'user' | 'assistant' | 'tool';
  author: string;
  included: Generated<Flag>;
  status: Generated<string>;
  revision_count: Generated<number>;
  source_message_id: string | null;
  tool_calls: Generated<JsonText>;
  tool_call_id: string | null;
  model_call_id: string | null;
  draft_content: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
  deleted_at: IsoTime | null;
  /** The account that wrote it (version 7). */
  account_id: string | null;
  /** A summary message's JSON list of the message ids it stands for (version 10). */
  summarizes: JsonText | null;
}

export interface MessageRevisionsTable {
  id: string;
  message_id: string;
  number: number;
  content: string;
  editor: string;
  token_count: Generated<number>;
  created_at: IsoTime;
  /** The account that wrote this revision (version 7). */
  account_id: string | null;
}

export interface ModelCallsTable {
  id: string;
  conversation_id: string;
  message_id: string | null;
  provider: string;
  model: string;
  base_url: string | null;
  request: JsonText;
  response: JsonText | null;
  assembled: JsonText | null;
  usage: JsonText | null;
  finish_reason: string | null;
  status: Generated<string>;
  time_to_first_token_ms: number | null;
  duration_ms: number | null;
  error: string | null;
  created_at: IsoTime;
  ended_at: IsoTime | null;
  /** The account that asked for the call (version 7). */
  account_id: string | null;
  /** The server process that ran it (core/server-process.ts's id; version 8). */
  server_process: string | null;
}

export interface WorkspacesTable {
  id: string;
  path: string;
  kind: 'managed' | 'external';
  created_at: IsoTime;
}

export interface ProposalsTable {
  id: string;
  conversation_id: string;
  message_id: string;
  position: number;
  kind: Generated<string>;
  tool_call_id: string | null;
  command: string;
  timeout_seconds: number | null;
  status: string;
  reason: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
  /** The account that decided it (version 7). */
  account_id: string | null;
  /** A file action's arguments as JSON; null for a command (version 10). */
  action: JsonText | null;
  /** It changes a test file while the last test run failed (version 10). */
  test_edit_warning: Generated<Flag>;
}

export interface ExecutionsTable {
  id: string;
  conversation_id: string;
  proposal_id: string | null;
  command_proposed: string | null;
  command_run: string;
  approved_by: string | null;
  status: string;
  exit_code: number | null;
  output: Generated<string>;
  output_truncated: Generated<Flag>;
  output_bytes: Generated<number>;
  duration_ms: number | null;
  sandbox: string;
  cwd: string | null;
  result_message_id: string | null;
  started_at: IsoTime;
  ended_at: IsoTime | null;
  /** The sandbox limit it ran into, `{limit, value, message}` (version 6). */
  limit_hit: JsonText | null;
  /** The account that approved and ran it (version 7). */
  account_id: string | null;
  /** The server process that queued and ran it (core/server-process.ts's id; version 8). */
  server_process: string | null;
  /** The file action as applied, JSON; null for a command (version 10). */
  action_run: JsonText | null;
}

export interface LabelsTable {
  id: string;
  target_kind: string;
  target_id: string;
  name: string;
  value: string | null;
  created_at: IsoTime;
  /** The account that rated (version 7). */
  account_id: string | null;
  /** A rating's optional reason (version 11). */
  reason: string | null;
  /** The conversation the target belongs to (version 11; null only for a row older than it with no target). */
  conversation_id: string | null;
  /** Set when the label was removed or replaced (version 11). */
  deleted_at: IsoTime | null;
}

/** A snapshot of a workspace in its shadow git repository (version 10). */
export interface CheckpointsTable {
  id: string;
  conversation_id: string;
  execution_id: string | null;
  kind: 'baseline' | 'step' | 'restore';
  workspace: string;
  commit_hash: string;
  parent_hash: string | null;
  restored_checkpoint_id: string | null;
  changed_files: Generated<number>;
  insertions: Generated<number>;
  deletions: Generated<number>;
  skipped: Generated<JsonText>;
  account_id: string | null;
  created_at: IsoTime;
}

/** A run of a conversation's test command (version 10). */
export interface TestRunsTable {
  id: string;
  conversation_id: string;
  execution_id: string;
  status: 'passed' | 'failed';
  runner: string | null;
  passed: number | null;
  failed: number | null;
  skipped: number | null;
  created_at: IsoTime;
}

/** The prompt library (version 10). */
export interface PromptsTable {
  id: string;
  name: string;
  content: string;
  account_id: string | null;
  created_at: IsoTime;
  updated_at: IsoTime;
  deleted_at: IsoTime | null;
}

export interface ImportKeysTable {
  source: string;
  key: string;
  target_id: string;
}

/** Messages whose current revision the search index does not hold yet (version 5). */
export interface SearchQueueTable {
  message_id: string;
}

/** A team server's people; removal is a tombstone (version 7). */
export interface AccountsTable {
  id: string;
  username: string;
  role: 'admin' | 'member' | 'reviewer';
  /** `scrypt$N$r$p$salt$hash`, never the password. */
  password_hash: string;
  created_at: IsoTime;
  removed_at: IsoTime | null;
}

/** Signed-in sessions; the id is the SHA-256 hex of the cookie's secret (version 7). */
export interface AccountSessionsTable {
  id: string;
  account_id: string;
  csrf_token: string;
  created_at: IsoTime;
  expires_at: IsoTime;
  last_used_at: IsoTime;
}

/** `Kysely<StoreTables>` on either engine. */
export interface StoreTables {
  conversations: ConversationsTable;
  messages: MessagesTable;
  message_revisions: MessageRevisionsTable;
  model_calls: ModelCallsTable;
  workspaces: WorkspacesTable;
  proposals: ProposalsTable;
  executions: ExecutionsTable;
  labels: LabelsTable;
  import_keys: ImportKeysTable;
  search_queue: SearchQueueTable;
  accounts: AccountsTable;
  account_sessions: AccountSessionsTable;
  checkpoints: CheckpointsTable;
  test_runs: TestRunsTable;
  prompts: PromptsTable;
}
