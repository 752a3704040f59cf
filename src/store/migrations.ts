/**
 * Versioned schema. `PRAGMA user_version` holds the number of migrations applied; each runs once, in order,
 * inside one transaction. Never edit a migration that has shipped: add the next one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'conversations, messages as a tree, immutable revisions, room for later issues',
    sql: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        startup_script TEXT NOT NULL DEFAULT '',
        current_leaf_id TEXT,
        settings TEXT NOT NULL DEFAULT '{}',
        forked_from_conversation_id TEXT REFERENCES conversations(id),
        forked_from_message_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      );
      CREATE INDEX conversations_updated ON conversations(updated_at);

      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        parent_id TEXT REFERENCES messages(id),
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
        author TEXT NOT NULL,
        included INTEGER NOT NULL DEFAULT 1 CHECK (included IN (0, 1)),
        status TEXT NOT NULL DEFAULT 'complete',
        revision_count INTEGER NOT NULL DEFAULT 0,
        source_message_id TEXT REFERENCES messages(id),
        tool_calls TEXT NOT NULL DEFAULT '[]',
        tool_call_id TEXT,
        model_call_id TEXT,
        -- What a model has streamed so far; revision 1 is written from it when the stream ends, so a
        -- revision is never rewritten while tokens arrive.
        draft_content TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      );
      CREATE INDEX messages_conversation ON messages(conversation_id);
      CREATE INDEX messages_parent ON messages(parent_id);

      CREATE TABLE message_revisions (
        id TEXT PRIMARY KEY,
        message_id TEXT NOT NULL REFERENCES messages(id),
        number INTEGER NOT NULL,
        content TEXT NOT NULL,
        editor TEXT NOT NULL,
        token_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (message_id, number)
      );

      -- The preference data depends on revisions never changing (DESIGN.md): enforce it in the database.
      CREATE TRIGGER message_revisions_no_update BEFORE UPDATE ON message_revisions
        BEGIN SELECT RAISE(ABORT, 'message revisions are immutable'); END;
      CREATE TRIGGER message_revisions_no_delete BEFORE DELETE ON message_revisions
        BEGIN SELECT RAISE(ABORT, 'message revisions are immutable'); END;
      CREATE TRIGGER messages_no_delete BEFORE DELETE ON messages
        BEGIN SELECT RAISE(ABORT, 'messages are tombstoned, never deleted'); END;
      CREATE TRIGGER conversations_no_delete BEFORE DELETE ON conversations
        BEGIN SELECT RAISE(ABORT, 'conversations are tombstoned, never deleted'); END;

      CREATE TABLE model_calls (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        message_id TEXT REFERENCES messages(id),
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        base_url TEXT,
        request TEXT NOT NULL,
        response TEXT,
        assembled TEXT,
        usage TEXT,
        finish_reason TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        time_to_first_token_ms INTEGER,
        duration_ms INTEGER,
        error TEXT,
        created_at TEXT NOT NULL,
        ended_at TEXT
      );
      CREATE INDEX model_calls_message ON model_calls(message_id);

      CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('managed', 'external')),
        created_at TEXT NOT NULL
      );

      CREATE TABLE proposals (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        message_id TEXT NOT NULL REFERENCES messages(id),
        position INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'command',
        tool_call_id TEXT,
        command TEXT NOT NULL,
        timeout_seconds INTEGER,
        status TEXT NOT NULL,
        reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX proposals_message ON proposals(message_id);
      CREATE INDEX proposals_conversation ON proposals(conversation_id);

      CREATE TABLE executions (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        proposal_id TEXT REFERENCES proposals(id),
        command_proposed TEXT,
        command_run TEXT NOT NULL,
        approved_by TEXT,
        status TEXT NOT NULL,
        exit_code INTEGER,
        output TEXT NOT NULL DEFAULT '',
        output_truncated INTEGER NOT NULL DEFAULT 0,
        output_bytes INTEGER NOT NULL DEFAULT 0,
        duration_ms INTEGER,
        sandbox TEXT NOT NULL,
        cwd TEXT,
        result_message_id TEXT REFERENCES messages(id),
        started_at TEXT NOT NULL,
        ended_at TEXT
      );
      CREATE INDEX executions_proposal ON executions(proposal_id);

      CREATE TABLE labels (
        id TEXT PRIMARY KEY,
        target_kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX labels_target ON labels(target_kind, target_id);

      -- Maps a key from an imported source (a legacy message hash, a snapshot id) to what it became, so
      -- importing the same file twice adds nothing.
      CREATE TABLE import_keys (
        source TEXT NOT NULL,
        key TEXT NOT NULL,
        target_id TEXT NOT NULL,
        PRIMARY KEY (source, key)
      );
    `,
  },
  {
    version: 2,
    description: 'full-text search over message content and conversation titles',
    sql: `
      -- One row per indexed thing; its id is the FTS rowid, so replacing a document is a keyed update
      -- rather than a scan of the (unindexed) FTS columns.
      CREATE TABLE search_documents (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('conversation', 'message')),
        ref_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        UNIQUE (kind, ref_id)
      );
      CREATE VIRTUAL TABLE search_index USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
      INSERT INTO search_documents (kind, ref_id, conversation_id)
        SELECT 'conversation', id, id FROM conversations;
      INSERT INTO search_documents (kind, ref_id, conversation_id)
        SELECT 'message', id, conversation_id FROM messages WHERE revision_count > 0;
      INSERT INTO search_index (rowid, text)
        SELECT d.id, c.title || ' ' || c.description
        FROM search_documents d JOIN conversations c ON c.id = d.ref_id WHERE d.kind = 'conversation';
      INSERT INTO search_index (rowid, text)
        SELECT d.id, r.content
        FROM search_documents d
        JOIN messages m ON m.id = d.ref_id
        JOIN message_revisions r ON r.message_id = m.id AND r.number = m.revision_count
        WHERE d.kind = 'message';
    `,
  },
  {
    version: 3,
    description:
      'costs that do not grow with a conversation: sibling index, stored counts, cached path totals',
    sql: `
      -- Children of a message in the order sibling arrows show them. It serves the sibling lookups, the branch
      -- walk and, as a prefix, every per-conversation lookup; the two narrower indexes it replaces only added
      -- pages to every append (messages are never deleted, so no foreign key needs an index on parent_id).
      CREATE INDEX messages_children ON messages(conversation_id, parent_id, created_at, id);
      DROP INDEX messages_conversation;
      DROP INDEX messages_parent;

      -- Live messages per conversation, kept by triggers so the conversation list reads a number instead of
      -- counting every message of every conversation (issue 7 item 9).
      ALTER TABLE conversations ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
      UPDATE conversations SET message_count =
        (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.id AND m.deleted_at IS NULL);
      CREATE TRIGGER messages_count_insert AFTER INSERT ON messages WHEN NEW.deleted_at IS NULL
        BEGIN UPDATE conversations SET message_count = message_count + 1 WHERE id = NEW.conversation_id; END;
      CREATE TRIGGER messages_count_tombstone AFTER UPDATE OF deleted_at ON messages
        WHEN (OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL)
        BEGIN
          UPDATE conversations SET message_count = message_count + (CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END)
            WHERE id = NEW.conversation_id;
        END;

      -- Totals along the current path (JSON, with the leaf they were counted for): kept up to date by an
      -- append at the leaf, cleared by any other change and counted again on the next read (path-stats.ts).
      ALTER TABLE conversations ADD COLUMN path_stats TEXT;
    `,
  },
  {
    version: 4,
    description: "a conversation's executions by time (where a reopened shell starts)",
    sql: `
      CREATE INDEX executions_conversation ON executions(conversation_id, started_at);
    `,
  },
  {
    version: 5,
    description: 'messages are indexed for search in batches, from a queue the append writes one row to',
    sql: `
      -- Messages whose current revision the search index does not hold yet (search-queue.ts). Keyed by the
      -- message, so an edit of a message still waiting adds nothing.
      CREATE TABLE search_queue (message_id TEXT PRIMARY KEY REFERENCES messages(id)) WITHOUT ROWID;

      -- The conversation list reads every live conversation and sorts them (a few hundred rows); the index
      -- only spared that sort, and cost a page on every append, which moves updated_at.
      DROP INDEX conversations_updated;
    `,
  },
  {
    version: 6,
    description: 'an execution keeps the sandbox limit it ran into',
    sql: `
      -- JSON {limit, value, message} (LimitHit), null when the command hit none or ended before the limits
      -- were recorded: the UI names the limit from this, not from the result message's text (issue 7 item 6).
      ALTER TABLE executions ADD COLUMN limit_hit TEXT;
    `,
  },
  {
    version: 7,
    description: 'accounts, their sign-in sessions, and the account behind each stored action',
    sql: `
      -- A team server's people (issue 10 item 3). Removing one is a tombstone: the actions it did keep
      -- naming it, and a removed name is not handed to someone else.
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'reviewer')),
        -- scrypt$N$r$p$salt$hash (password-hash.ts): the parameters travel with the hash, so they can grow.
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        removed_at TEXT
      );
      CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
        BEGIN SELECT RAISE(ABORT, 'accounts are tombstoned, never deleted'); END;

      -- The id is the SHA-256 of the cookie's secret, never the secret: a copy of the database signs no one in.
      -- Signing out deletes the row.
      CREATE TABLE account_sessions (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        last_used_at TEXT NOT NULL
      );
      CREATE INDEX account_sessions_account ON account_sessions(account_id);

      -- Who owns a conversation (NULL: made without accounts) and who else sees it.
      ALTER TABLE conversations ADD COLUMN owner_account_id TEXT REFERENCES accounts(id);
      ALTER TABLE conversations ADD COLUMN visibility TEXT NOT NULL DEFAULT 'team'
        CHECK (visibility IN ('private', 'team'));

      -- The account that did it: wrote a message, edited a revision, decided a proposal, approved or ran a
      -- command, asked the model, rated. NULL in single-token mode and on rows from before accounts.
      ALTER TABLE messages ADD COLUMN account_id TEXT REFERENCES accounts(id);
      ALTER TABLE message_revisions ADD COLUMN account_id TEXT REFERENCES accounts(id);
      ALTER TABLE proposals ADD COLUMN account_id TEXT REFERENCES accounts(id);
      ALTER TABLE executions ADD COLUMN account_id TEXT REFERENCES accounts(id);
      ALTER TABLE model_calls ADD COLUMN account_id TEXT REFERENCES accounts(id);
      ALTER TABLE labels ADD COLUMN account_id TEXT REFERENCES accounts(id);
    `,
  },
  {
    version: 8,
    description: 'the server process that runs each model call and command',
    sql: `
      -- core/server-process.ts's id of the process that started it (NULL on rows from before). Several server
      -- processes may share one PostgreSQL database (issue 10 item 4): start-up recovery ends only the work
      -- of processes that are gone, not that of a live one (store/process-liveness.ts).
      ALTER TABLE model_calls ADD COLUMN server_process TEXT;
      ALTER TABLE executions ADD COLUMN server_process TEXT;
    `,
  },
  {
    version: 9,
    description:
      'search splits paths, URLs, e-mail addresses, host names and decimals into words, as FTS5 does',
    sql: `
      -- Nothing changes here: FTS5's unicode61 already splits at every character that is not a letter or
      -- digit. PostgreSQL's version 9 makes its search do the same (postgres-migrations.ts), and the two
      -- engines keep the same version numbers, so a store at version N copies between them table by table.
    `,
  },
  {
    version: 10,
    description: 'file actions, checkpoints, test runs, the prompt library and summaries (issue 8)',
    sql: `
      -- File actions (issue 8 item 1). A proposal's kind says what it asks: a command, or read_file,
      -- write_file, edit_file with their arguments as JSON in action (command then holds a one-line summary a
      -- person reads). The execution keeps the action as it was applied, which a person may have changed.
      ALTER TABLE proposals ADD COLUMN action TEXT;
      ALTER TABLE executions ADD COLUMN action_run TEXT;
      -- Set when the proposal changes a test file while the conversation's last test run failed (item 6).
      ALTER TABLE proposals ADD COLUMN test_edit_warning INTEGER NOT NULL DEFAULT 0
        CHECK (test_edit_warning IN (0, 1));

      -- A snapshot of the workspace in the shadow git repository (item 3): a conversation's first one
      -- ('baseline'), one after each executed command or applied edit ('step'), and one taken just before a
      -- restore ('restore', so the restore can itself be undone). parent_hash is the snapshot it is compared
      -- with: its diff is the step's change.
      CREATE TABLE checkpoints (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        execution_id TEXT REFERENCES executions(id),
        kind TEXT NOT NULL CHECK (kind IN ('baseline', 'step', 'restore')),
        workspace TEXT NOT NULL,
        commit_hash TEXT NOT NULL,
        parent_hash TEXT,
        restored_checkpoint_id TEXT REFERENCES checkpoints(id),
        changed_files INTEGER NOT NULL DEFAULT 0,
        insertions INTEGER NOT NULL DEFAULT 0,
        deletions INTEGER NOT NULL DEFAULT 0,
        skipped TEXT NOT NULL DEFAULT '[]',
        account_id TEXT REFERENCES accounts(id),
        created_at TEXT NOT NULL
      );
      CREATE INDEX checkpoints_conversation ON checkpoints(conversation_id, created_at);
      CREATE INDEX checkpoints_execution ON checkpoints(execution_id);

      -- A run of the conversation's test command (item 5): passed or failed by its exit code, the counts
      -- where the output's summary was recognised.
      CREATE TABLE test_runs (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        execution_id TEXT NOT NULL UNIQUE REFERENCES executions(id),
        status TEXT NOT NULL CHECK (status IN ('passed', 'failed')),
        runner TEXT,
        passed INTEGER,
        failed INTEGER,
        skipped INTEGER,
        created_at TEXT NOT NULL
      );
      CREATE INDEX test_runs_conversation ON test_runs(conversation_id, created_at);

      -- The prompt library (item 7): system prompts a conversation can start from.
      CREATE TABLE prompts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        content TEXT NOT NULL,
        account_id TEXT REFERENCES accounts(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      );

      -- A summary message names the messages it stands for (JSON list of ids; item 7); they stay, unchecked.
      ALTER TABLE messages ADD COLUMN summarizes TEXT;

      -- Records of what happened, kept as they were written (the datasets read them).
      CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
        BEGIN SELECT RAISE(ABORT, 'checkpoints are records, never deleted'); END;
      CREATE TRIGGER test_runs_no_delete BEFORE DELETE ON test_runs
        BEGIN SELECT RAISE(ABORT, 'test runs are records, never deleted'); END;
      CREATE TRIGGER prompts_no_delete BEFORE DELETE ON prompts
        BEGIN SELECT RAISE(ABORT, 'prompts are tombstoned, never deleted'); END;
    `,
  },
  {
    version: 11,
    description: 'review labels: a reason, the conversation they belong to, tombstones (issue 9)',
    sql: `
      -- Review (issue 9 item 1). A label is a rating (good/bad with an optional reason), a tag, a note or a
      -- conversation's outcome. Changing or removing one tombstones the row (deleted_at) and, for a change,
      -- adds the new one, so the history of a review stays. conversation_id is the conversation the target
      -- belongs to, kept beside it so a conversation's labels (the dataset record, the sidebar's filters) are
      -- one index lookup whatever the target is.
      ALTER TABLE labels ADD COLUMN reason TEXT;
      ALTER TABLE labels ADD COLUMN conversation_id TEXT REFERENCES conversations(id);
      ALTER TABLE labels ADD COLUMN deleted_at TEXT;
      UPDATE labels SET conversation_id = CASE target_kind
        WHEN 'conversation' THEN target_id
        WHEN 'message' THEN (SELECT m.conversation_id FROM messages m WHERE m.id = labels.target_id)
        WHEN 'proposal' THEN (SELECT p.conversation_id FROM proposals p WHERE p.id = labels.target_id)
        ELSE NULL END;
      CREATE INDEX labels_conversation ON labels(conversation_id, created_at);
      CREATE INDEX labels_name_value ON labels(name, value);
      -- The sidebar's filters: a conversation's model calls (its model, its list of calls), and the copies
      -- of a message (conversations that contain it). Only copies have a source, so the index skips the rest
      -- and costs an append nothing.
      CREATE INDEX model_calls_conversation ON model_calls(conversation_id, created_at);
      CREATE INDEX messages_source ON messages(source_message_id) WHERE source_message_id IS NOT NULL;

      CREATE TRIGGER labels_no_delete BEFORE DELETE ON labels
        BEGIN SELECT RAISE(ABORT, 'labels are tombstoned, never deleted'); END;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
