import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import type {
  LegacyDatabase,
  LegacyMessageRow,
  LegacySnapshotRow,
} from '../../src/core/legacy/legacy-database.ts';
import { openSqlite } from '../../src/store/sqlite.ts';

/**
 * Builds small databases the way the original Python/Qt ModelProgrammer wrote them (ConversationDB.py): one
 * row per distinct content (hash = SHA-256 of Python's `json.dumps`), a snapshot row per distinct message
 * list, wall-clock times without a zone. Used by the importer's unit tests (as data) and integration tests
 * (as a real SQLite file).
 */
export class LegacyFixture {
  readonly messages: LegacyMessageRow[] = [];
  readonly snapshots: LegacySnapshotRow[] = [];
  /** Wall-clock ms of the machine that "ran the original". */
  #clock: number;
  /** Its zone, minutes east of UTC; OpenAI's `created` is written in UTC. */
  readonly utcOffsetMinutes: number;

  constructor(options: { start?: string; utcOffsetMinutes?: number } = {}) {
    this.#clock = Date.parse(`${options.start ?? '2023-04-02T16:00:00'}Z`);
    this.utcOffsetMinutes = options.utcOffsetMinutes ?? -240;
  }

  /** Moves the clock on; every message and snapshot also moves it by a second. */
  wait(seconds: number): this {
    this.#clock += seconds * 1000;
    return this;
  }

  /** A message typed in the composer (type 2) under the role box's `human`. */
  human(content: string): number {
    return this.#message({ role: 'user', name: 'human', content }, 2, 'human');
  }

  /** A message typed in the composer with a sendable role, or any custom name (type 2). */
  typed(role: string, content: string): number {
    if (role === 'system' || role === 'user' || role === 'assistant')
      return this.#message({ role, content }, 2, role);
    return this.#message({ role: 'user', name: role, content }, 2, role);
  }

  terminal(content: string): number {
    return this.#message({ role: 'user', name: 'terminal', content }, 3, 'terminal');
  }

  /** A model answer: the raw response (type 0), then the formatted message (type 1) in the same second. */
  answer(
    content: string,
    options: { model?: string; finishReason?: string } = {},
  ): { raw: number; message: number } {
    const utcSeconds = Math.floor((this.#clock - this.utcOffsetMinutes * 60_000) / 1000) - 5;
    const raw = this.#insert(
      {
        id: `chatcmpl-${utcSeconds}`,
        object: 'chat.completion',
        created: utcSeconds,
        model: options.model ?? 'gpt-3.5-turbo-0301',
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        choices: [
          {
            message: { role: 'assistant', content },
            finish_reason: options.finishReason ?? 'stop',
            index: 0,
          },
        ],
      },
      0,
      'assistant',
      null,
    );
    this.#clock -= 1000;
    const message = this.#message({ role: 'assistant', content }, 1, 'assistant');
    // The original pointed a formatted answer's source_id at itself (the bug the importer must not trust).
    const row = this.messages.find((candidate) => candidate.id === message);
    if (row && row.sourceId === null) row.sourceId = message;
    return { raw, message };
  }

  /** A person's edit of a message card (type 4), pointing at the version it replaced. */
  edit(sourceId: number, content: string): number {
    const source = this.messages.find((row) => row.id === sourceId);
    if (!source) throw new Error(`no message ${sourceId}`);
    const json = JSON.parse(source.content) as Record<string, unknown>;
    const body = 'choices' in json ? { role: 'assistant', content } : { ...json, content };
    return this.#insert(body, 4, source.role, sourceId);
  }

  /** Saves the message list as the original did: an existing identical list keeps its old row and time. */
  snapshot(messageIds: number[], options: { description?: string; startupScript?: string } = {}): number {
    const hashes = messageIds.map((id) => this.messages.find((row) => row.id === id)?.hash);
    const hash = sha256(pythonJson(hashes));
    const existing = this.snapshots.find((snapshot) => snapshot.hash === hash);
    if (existing) return existing.id;
    const id = this.snapshots.length + 1;
    this.snapshots.push({
      id,
      hash,
      datetime: this.#now(),
      description: options.description ?? '',
      startupScript: options.startupScript ?? '',
      messageIds: [...messageIds],
    });
    return id;
  }

  database(): LegacyDatabase {
    return structuredClone({ messages: this.messages, snapshots: this.snapshots });
  }

  /** Writes the original's schema and rows to a SQLite file, replacing any earlier one. */
  write(path: string): string {
    rmSync(path, { force: true });
    const db = openSqlite(path);
    try {
      db.exec(`
        CREATE TABLE messages (id INTEGER PRIMARY KEY, hash TEXT, content TEXT, datetime TEXT, type INTEGER, role TEXT, source_id INTEGER);
        CREATE TABLE conversations (id INTEGER PRIMARY KEY, hash TEXT, datetime TEXT, description TEXT NOT NULL DEFAULT '', startup_script TEXT NOT NULL DEFAULT '', source_id INTEGER);
        CREATE TABLE conversation_messages (conversation_id INTEGER, message_id INTEGER, message_order INTEGER);
        CREATE INDEX idx_conversations_hash ON conversations (hash);
        CREATE INDEX idx_messages_hash ON messages (hash);
      `);
      const message = db.prepare('INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const row of this.messages) {
        message.run(row.id, row.hash, row.content, row.datetime, row.type, row.role, row.sourceId);
      }
      const snapshot = db.prepare('INSERT INTO conversations VALUES (?, ?, ?, ?, ?, NULL)');
      const entry = db.prepare('INSERT INTO conversation_messages VALUES (?, ?, ?)');
      for (const row of this.snapshots) {
        snapshot.run(row.id, row.hash, row.datetime, row.description, row.startupScript);
        row.messageIds.forEach((messageId, order) => {
          entry.run(row.id, messageId, order);
        });
      }
    } finally {
      db.close();
    }
    return path;
  }

  #message(body: Record<string, unknown>, type: number, role: string): number {
    return this.#insert(body, type, role, null);
  }

  #insert(body: Record<string, unknown>, type: number, role: string, sourceId: number | null): number {
    const content = pythonJson(body);
    const hash = sha256(content);
    const existing = this.messages.find((row) => row.hash === hash);
    if (existing) return existing.id;
    const id = this.messages.length + 1;
    this.messages.push({ id, hash, content, datetime: this.#now(), type, role, sourceId });
    return id;
  }

  #now(): string {
    this.#clock += 1000;
    return new Date(this.#clock).toISOString().slice(0, 19).replace('T', ' ');
  }
}

/** Python's `json.dumps` defaults: `", "` and `": "` separators, non-ASCII escaped. */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonJson(key)}: ${pythonJson(item)}`)
      .join(', ')}}`;
  }
  if (value === undefined) return 'null';
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
