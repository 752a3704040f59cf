import type { Conversation, ConversationSettings, ConversationSummary } from '../core/domain.ts';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import type { SqliteDatabase } from './open-database.ts';
import type { PathStats } from './path-stats.ts';
import { prepared } from './prepared.ts';
import { type ConversationRow, toConversation } from './rows.ts';
import type { SearchIndex } from './search.ts';

export interface NewConversation {
  title?: string;
  description?: string;
  startupScript?: string;
  settings?: ConversationSettings;
  forkedFromConversationId?: string | null;
  forkedFromMessageId?: string | null;
  /** Importers keep original timestamps. */
  createdAt?: string;
}

export interface ConversationPatch {
  title?: string;
  description?: string;
  startupScript?: string;
  /** Merged into the stored settings; a key set to undefined is left alone. */
  settings?: ConversationSettings;
}

export class ConversationRepository {
  readonly #db: SqliteDatabase;
  readonly #searchIndex: SearchIndex;

  constructor(db: SqliteDatabase, searchIndex: SearchIndex) {
    this.#db = db;
    this.#searchIndex = searchIndex;
  }

  /** Live conversations, most recently changed first. */
  list(): ConversationSummary[] {
    return prepared<[], ConversationSummary>(
      this.#db,
      `SELECT c.id, c.title, c.description, c.updated_at AS updatedAt, c.message_count AS messageCount
         FROM conversations c WHERE c.deleted_at IS NULL ORDER BY c.updated_at DESC, c.id DESC`,
    ).all();
  }

  create(input: NewConversation = {}): Conversation {
    const id = newId();
    const at = input.createdAt ?? nowIso();
    prepared(
      this.#db,
      `INSERT INTO conversations (id, title, description, startup_script, settings,
           forked_from_conversation_id, forked_from_message_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      input.title ?? '',
      input.description ?? '',
      input.startupScript ?? '',
      JSON.stringify(input.settings ?? {}),
      input.forkedFromConversationId ?? null,
      input.forkedFromMessageId ?? null,
      at,
      at,
    );
    this.#searchIndex.indexConversation(id, input.title ?? '', input.description ?? '');
    return this.get(id);
  }

  /** A live conversation; tombstoned ones are not found unless asked for. */
  get(id: string, options: { includeDeleted?: boolean } = {}): Conversation {
    const row = prepared<[string], ConversationRow>(this.#db, 'SELECT * FROM conversations WHERE id = ?').get(
      id,
    );
    if (!row || (row.deleted_at !== null && !options.includeDeleted))
      throw new NotFoundError('conversation', id);
    return toConversation(row);
  }

  update(id: string, patch: ConversationPatch): Conversation {
    const current = this.get(id);
    const next = {
      title: patch.title ?? current.title,
      description: patch.description ?? current.description,
      startupScript: patch.startupScript ?? current.startupScript,
      settings: { ...current.settings, ...definedOnly(patch.settings ?? {}) },
    };
    prepared(
      this.#db,
      `UPDATE conversations SET title = ?, description = ?, startup_script = ?, settings = ?, updated_at = ?
         WHERE id = ?`,
    ).run(next.title, next.description, next.startupScript, JSON.stringify(next.settings), nowIso(), id);
    if (patch.title !== undefined || patch.description !== undefined) {
      this.#searchIndex.indexConversation(id, next.title, next.description);
    }
    return this.get(id);
  }

  delete(id: string): void {
    this.get(id);
    prepared(this.#db, 'UPDATE conversations SET deleted_at = ?, updated_at = ? WHERE id = ?').run(
      nowIso(),
      nowIso(),
      id,
    );
  }

  restore(id: string): Conversation {
    const conversation = this.get(id, { includeDeleted: true });
    if (conversation.deletedAt === null) throw new ConflictError(`conversation ${id} is not deleted`);
    prepared(this.#db, 'UPDATE conversations SET deleted_at = NULL, updated_at = ? WHERE id = ?').run(
      nowIso(),
      id,
    );
    return this.get(id);
  }

  /** Marks a change inside the conversation, so the sidebar's newest-first order follows the work. */
  touch(id: string, at: string = nowIso()): void {
    prepared(this.#db, 'UPDATE conversations SET updated_at = MAX(updated_at, ?) WHERE id = ?').run(at, id);
  }

  /** Another path: its cached totals no longer hold. */
  setLeaf(id: string, leafId: string | null): void {
    prepared(this.#db, 'UPDATE conversations SET current_leaf_id = ?, path_stats = NULL WHERE id = ?').run(
      leafId,
      id,
    );
  }

  /**
   * What an append needs of a live conversation, without parsing its settings: the leaf, and the totals
   * along the path to it when they are known.
   */
  head(id: string): { currentLeafId: string | null; pathStats: PathStats | null } {
    const row = prepared<[string], { leaf: string | null; stats: string | null }>(
      this.#db,
      'SELECT current_leaf_id AS leaf, path_stats AS stats FROM conversations WHERE id = ? AND deleted_at IS NULL',
    ).get(id);
    if (!row) throw new NotFoundError('conversation', id);
    return { currentLeafId: row.leaf, pathStats: validStats(row.stats, row.leaf) };
  }

  /** The append at the end of the path: one write moves the leaf, keeps the totals and marks the change. */
  advanceLeaf(id: string, leafId: string, stats: PathStats | null, at: string): void {
    prepared(
      this.#db,
      `UPDATE conversations SET current_leaf_id = ?, path_stats = ?, updated_at = MAX(updated_at, ?)
         WHERE id = ?`,
    ).run(leafId, stats === null ? null : JSON.stringify(stats), at, id);
  }

  /** Totals for the path to `leafId`, or null when a change since has made them unknown. */
  pathStats(id: string): PathStats | null {
    const row = prepared<[string], { leaf: string | null; stats: string | null }>(
      this.#db,
      'SELECT current_leaf_id AS leaf, path_stats AS stats FROM conversations WHERE id = ?',
    ).get(id);
    return row === undefined ? null : validStats(row.stats, row.leaf);
  }

  setPathStats(id: string, stats: PathStats | null): void {
    prepared(this.#db, 'UPDATE conversations SET path_stats = ? WHERE id = ?').run(
      stats === null ? null : JSON.stringify(stats),
      id,
    );
  }
}

/** Stored totals hold only for the leaf they were counted for. */
function validStats(json: string | null, leafId: string | null): PathStats | null {
  if (json === null || leafId === null) return null;
  const stats = JSON.parse(json) as PathStats;
  return stats.leafId === leafId ? stats : null;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
