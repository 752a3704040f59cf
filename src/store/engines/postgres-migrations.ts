/**
 * The PostgreSQL schema, version for version the same as the SQLite one (../migrations.ts): version N here
 * has the tables, columns, constraints, indexes and invariants of SQLite's version N, so a store at version
 * N copies between the engines table by table (issue 10). Never edit a migration that has shipped: add the
 * next one, here and in migrations.ts, with the same number.
 *
 * Types are chosen so a row reads back byte-identical on both engines, which a lossless `mp migrate-store`
 * and one query code path need:
 * - ids, timestamps and JSON stay TEXT. Timestamps are `nowIso()` strings (UTC, milliseconds), which sort as
 *   text in time order; `timestamptz` would come back as a Date and print differently. JSON is kept as
 *   written: the recorded model request must be the exact bytes sent, and jsonb reorders keys and spacing.
 * - flags stay INTEGER 0/1 with the same CHECK, so the same code writes them on both engines.
 * - numbers that can pass 2^31 (durations, byte counts, search row ids) are BIGINT, which the engine's
 *   type parser reads as a JavaScript number (postgres-engine.ts), as SQLite's INTEGER is read.
 *
 * The invariants live in the database, as on SQLite, so no code path can bypass them: revisions never
 * change, messages and conversations are tombstoned, never deleted (TRUNCATE too, which skips DELETE triggers).
 */
export interface PostgresMigration {
  version: number;
  description: string;
  sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
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

      -- One function raises the refusal its trigger names, with SQLSTATE 23000 (integrity constraint violation)
      -- so a caller can tell it from a lost connection.
      CREATE FUNCTION mp_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'integrity_constraint_violation';
        END;
      $$;
      CREATE TRIGGER message_revisions_no_update BEFORE UPDATE ON message_revisions
        FOR EACH ROW EXECUTE FUNCTION mp_refuse('message revisions are immutable');
      CREATE TRIGGER message_revisions_no_delete BEFORE DELETE ON message_revisions
        FOR EACH ROW EXECUTE FUNCTION mp_refuse('message revisions are immutable');
      CREATE TRIGGER message_revisions_no_truncate BEFORE TRUNCATE ON message_revisions
        FOR EACH STATEMENT EXECUTE FUNCTION mp_refuse('message revisions are immutable');
      CREATE TRIGGER messages_no_delete BEFORE DELETE ON messages
        FOR EACH ROW EXECUTE FUNCTION mp_refuse('messages are tombstoned, never deleted');
      CREATE TRIGGER messages_no_truncate BEFORE TRUNCATE ON messages
        FOR EACH STATEMENT EXECUTE FUNCTION mp_refuse('messages are tombstoned, never deleted');
      CREATE TRIGGER conversations_no_delete BEFORE DELETE ON conversations
        FOR EACH ROW EXECUTE FUNCTION mp_refuse('conversations are tombstoned, never deleted');
      CREATE TRIGGER conversations_no_truncate BEFORE TRUNCATE ON conversations
        FOR EACH STATEMENT EXECUTE FUNCTION mp_refuse('conversations are tombstoned, never deleted');

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
        time_to_first_token_ms BIGINT,
        duration_ms BIGINT,
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
        output_bytes BIGINT NOT NULL DEFAULT 0,
        duration_ms BIGINT,
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
      -- SQLite keeps the text in an FTS5 table beside search_documents; here it is a column of the same row,
      -- with its tsvector and a GIN index. The configuration is 'simple' (no stemming, no stop words: a word
      -- matches as typed) with diacritics removed first, as FTS5's unicode61 tokenizer with remove_diacritics
      -- does, so "cafe" finds "Café" on both engines. unaccent ships with PostgreSQL and is a trusted
      -- extension: the database's owner may create it.
      -- A tsvector holds at most 1 MB (lexemes and positions): past that PostgreSQL refuses the whole write,
      -- so a text too large (a long terminal output) is indexed from its start, as much as fits, rather than
      -- failing the append that carries it.
      CREATE EXTENSION IF NOT EXISTS unaccent;
      CREATE TEXT SEARCH CONFIGURATION mp_search (COPY = pg_catalog.simple);
      ALTER TEXT SEARCH CONFIGURATION mp_search
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;
      CREATE TABLE search_documents (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('conversation', 'message')),
        ref_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        text TEXT NOT NULL,
        document tsvector NOT NULL,
        UNIQUE (kind, ref_id)
      );
      CREATE FUNCTION mp_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          indexed integer := length(NEW.text);
        BEGIN
          LOOP
            BEGIN
              NEW.document := to_tsvector('mp_search', left(NEW.text, indexed));
              RETURN NEW;
            EXCEPTION WHEN program_limit_exceeded THEN
              indexed := indexed / 2;
            END;
          END LOOP;
        END;
      $$;
      CREATE TRIGGER search_documents_tsvector BEFORE INSERT OR UPDATE OF text ON search_documents
        FOR EACH ROW EXECUTE FUNCTION mp_search_document();
      CREATE INDEX search_documents_document ON search_documents USING GIN (document);
      INSERT INTO search_documents (kind, ref_id, conversation_id, text)
        SELECT 'conversation', id, id, title || ' ' || description FROM conversations;
      INSERT INTO search_documents (kind, ref_id, conversation_id, text)
        SELECT 'message', m.id, m.conversation_id, r.content
        FROM messages m JOIN message_revisions r ON r.message_id = m.id AND r.number = m.revision_count;
    `,
  },
  {
    version: 3,
    description:
      'costs that do not grow with a conversation: sibling index, stored counts, cached path totals',
    sql: `
      CREATE INDEX messages_children ON messages(conversation_id, parent_id, created_at, id);
      DROP INDEX messages_conversation;
      DROP INDEX messages_parent;

      ALTER TABLE conversations ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
      UPDATE conversations SET message_count =
        (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.id AND m.deleted_at IS NULL);
      CREATE FUNCTION mp_count_messages() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            UPDATE conversations SET message_count = message_count + 1 WHERE id = NEW.conversation_id;
          ELSE
            UPDATE conversations
              SET message_count = message_count + (CASE WHEN NEW.deleted_at IS NULL THEN 1 ELSE -1 END)
              WHERE id = NEW.conversation_id;
          END IF;
          RETURN NULL;
        END;
      $$;
      CREATE TRIGGER messages_count_insert AFTER INSERT ON messages
        FOR EACH ROW WHEN (NEW.deleted_at IS NULL) EXECUTE FUNCTION mp_count_messages();
      CREATE TRIGGER messages_count_tombstone AFTER UPDATE OF deleted_at ON messages
        FOR EACH ROW WHEN ((OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)) EXECUTE FUNCTION mp_count_messages();

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
      -- The same queue as SQLite's, so the store's append and its batch indexing are one code path; keyed by
      -- the message, so an edit of a message still waiting adds nothing.
      CREATE TABLE search_queue (message_id TEXT PRIMARY KEY REFERENCES messages(id));

      DROP INDEX conversations_updated;
    `,
  },
  {
    version: 6,
    description: 'an execution keeps the sandbox limit it ran into',
    sql: `
      ALTER TABLE executions ADD COLUMN limit_hit TEXT;
    `,
  },
  {
    version: 7,
    description: 'accounts, their sign-in sessions, and the account behind each stored action',
    sql: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'reviewer')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        removed_at TEXT
      );
      CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
        FOR EACH ROW EXECUTE FUNCTION mp_refuse('accounts are tombstoned, never deleted');
      CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON accounts
        FOR EACH STATEMENT EXECUTE FUNCTION mp_refuse('accounts are tombstoned, never deleted');

      CREATE TABLE account_sessions (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        last_used_at TEXT NOT NULL
      );
      CREATE INDEX account_sessions_account ON account_sessions(account_id);

      ALTER TABLE conversations ADD COLUMN owner_account_id TEXT REFERENCES accounts(id);
      ALTER TABLE conversations ADD COLUMN visibility TEXT NOT NULL DEFAULT 'team'
        CHECK (visibility IN ('private', 'team'));

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
      ALTER TABLE model_calls ADD COLUMN server_process TEXT;
      ALTER TABLE executions ADD COLUMN server_process TEXT;
    `,
  },
  {
    version: 9,
    description:
      'search splits paths, URLs, e-mail addresses, host names and decimals into words, as FTS5 does',
    // String.raw: the regular expression's \u escapes reach PostgreSQL as written.
    sql: String.raw`
      -- Version 2 parsed the text as it is, and PostgreSQL's parser keeps a file path, a URL's path, an e-mail
      -- address, a host name and a decimal number as one token: "search" did not find src/store/search.ts, nor
      -- "14" 3.14, where FTS5's unicode61 splits at every character that is not a letter or digit. Now the
      -- punctuation and symbols become separators before the parser sees the text. The class is written out
      -- rather than "not [[:alnum:]]", which in a database created with the C locale is true of every
      -- non-ASCII letter. Beyond ASCII it holds what model and terminal output is full of (no-break space,
      -- dashes, curly quotes, ellipsis, guillemets, arrows, box drawing, check marks, CJK and fullwidth
      -- punctuation), which the parser in a C-locale database would glue to the words beside them. Within
      -- the Unicode blocks it draws from, it is exactly where FTS5 splits (postgres-search.test.ts compares
      -- them character by character); emoji, currency signs and other symbols outside it stay as the parser
      -- takes them.
      -- The snippet is cut from the same separated text, then shown with the characters as written
      -- (postgres-search.ts).
      CREATE FUNCTION mp_search_separated(content text, replacement text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$
          SELECT regexp_replace(content,
            '[\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e\u00a0-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb\u00bf\u00d7\u00f7\u2000-\u2064\u206a-\u206f\u2190-\u23f3\u2500-\u26ff\u2701-\u2775\u2794-\u27bf\u3000-\u3004\u3008-\u3020\u302a-\u3030\u3036-\u3037\u303d-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]',
            replacement, 'g')
        $$;
      -- A word with a digit in it (v2, é1) is a numword, which version 2 left out of unaccent.
      ALTER TEXT SEARCH CONFIGURATION mp_search ALTER MAPPING FOR numword WITH unaccent, simple;
      CREATE OR REPLACE FUNCTION mp_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          indexed integer := length(NEW.text);
        BEGIN
          LOOP
            BEGIN
              NEW.document := to_tsvector('mp_search', mp_search_separated(left(NEW.text, indexed), ' '));
              RETURN NEW;
            EXCEPTION WHEN program_limit_exceeded THEN
              indexed := indexed / 2;
            END;
          END LOOP;
        END;
      $$;
      -- Every document again, through the trigger: an UPDATE that names the column fires it.
      UPDATE search_documents SET text = text;
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
        FOR EACH ROW EXECUTE FUNCTION mp_refuse('checkpoints are records, never deleted');
      CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION mp_refuse('checkpoints are records, never deleted');
      CREATE TRIGGER test_runs_no_delete BEFORE DELETE ON test_runs
        FOR EACH ROW EXECUTE FUNCTION mp_refuse('test runs are records, never deleted');
      CREATE TRIGGER test_runs_no_truncate BEFORE TRUNCATE ON test_runs
        FOR EACH STATEMENT EXECUTE FUNCTION mp_refuse('test runs are records, never deleted');
      CREATE TRIGGER prompts_no_delete BEFORE DELETE ON prompts
        FOR EACH ROW EXECUTE FUNCTION mp_refuse('prompts are tombstoned, never deleted');
      CREATE TRIGGER prompts_no_truncate BEFORE TRUNCATE ON prompts
        FOR EACH STATEMENT EXECUTE FUNCTION mp_refuse('prompts are tombstoned, never deleted');
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
        FOR EACH ROW EXECUTE FUNCTION mp_refuse('labels are tombstoned, never deleted');
      CREATE TRIGGER labels_no_truncate BEFORE TRUNCATE ON labels
        FOR EACH STATEMENT EXECUTE FUNCTION mp_refuse('labels are tombstoned, never deleted');
    `,
  },
];

export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;
