import { sql } from 'kysely';
import type { ConversationFilters } from '../core/api/review-schemas.ts';
import type { Conversation, ConversationSettings, ConversationSummary } from '../core/domain.ts';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import type { Visibility } from '../core/permissions.ts';
import { currentAccountId } from './acting-account.ts';
import { CompiledOnce } from './compiled-once.ts';
import { visibleToAccount } from './conversation-access.ts';
import { conversationFilterConditions } from './conversation-filters.ts';
import type { PathStats } from './path-stats.ts';
import { type ConversationRow, toConversation } from './rows.ts';
import type { SearchIndex } from './search.ts';
import type { StoreDatabase } from './store-database.ts';

export interface NewConversation {
  title?: string;
  description?: string;
  startupScript?: string;
  settings?: ConversationSettings;
  forkedFromConversationId?: string | null;
  forkedFromMessageId?: string | null;
  /** Who else sees it (default `team`); a fork keeps its source's, so forking never shares what was private. */
  visibility?: Visibility;
  /** Importers keep original timestamps. */
  createdAt?: string;
}

export interface ConversationPatch {
  title?: string;
  description?: string;
  startupScript?: string;
  /** Merged into the stored settings; a key set to undefined is left alone. */
  settings?: ConversationSettings;
  visibility?: Visibility;
}

/** What an append reads of its conversation (see `head`). */
export interface ConversationHead {
  currentLeafId: string | null;
  pathStats: PathStats | null;
  /** Whether the leaf has children, deleted ones included; undefined when the read did not ask. */
  leafHasChildren?: boolean;
}

export class ConversationRepository {
  readonly #database: StoreDatabase;
  readonly #searchIndex: SearchIndex;

  constructor(database: StoreDatabase, searchIndex: SearchIndex) {
    this.#database = database;
    this.#searchIndex = searchIndex;
  }

  /**
   * Live conversations, most recently changed first. With `visibleTo`, only those that account may see
   * (its own and the team's; permissions.ts), filtered in the query. `filters`: the sidebar's (issue 9 item 1;
   * conversation-filters.ts).
   */
  list(
    options: { visibleTo?: string | null; filters?: ConversationFilters } = {},
  ): Promise<ConversationSummary[]> {
    const { visibleTo, filters } = options;
    return this.#database.db
      .selectFrom('conversations as c')
      .select([
        'c.id',
        'c.title',
        'c.description',
        'c.updated_at as updatedAt',
        'c.message_count as messageCount',
        'c.owner_account_id as ownerAccountId',
        'c.visibility',
      ])
      .where('c.deleted_at', 'is', null)
      .$if(typeof visibleTo === 'string', (query) => query.where(visibleToAccount('c', visibleTo ?? '')))
      .$if(filters !== undefined, (query) =>
        query.where((eb) => eb.and(conversationFilterConditions(eb, filters ?? {}))),
      )
      .orderBy('c.updated_at', 'desc')
      .orderBy('c.id', 'desc')
      .execute();
  }

  create(input: NewConversation = {}): Promise<Conversation> {
    return this.#database.atomic(async () => {
      const id = newId();
      const at = input.createdAt ?? nowIso();
      await this.#database.db
        .insertInto('conversations')
        .values({
          id,
          title: input.title ?? '',
          description: input.description ?? '',
          startup_script: input.startupScript ?? '',
          settings: JSON.stringify(input.settings ?? {}),
          forked_from_conversation_id: input.forkedFromConversationId ?? null,
          forked_from_message_id: input.forkedFromMessageId ?? null,
          created_at: at,
          updated_at: at,
          // The account the request acts for owns what it makes (a fork too); none in token mode.
          owner_account_id: currentAccountId(),
          ...(input.visibility === undefined ? {} : { visibility: input.visibility }),
        })
        .execute();
      await this.#searchIndex.indexConversation(id, input.title ?? '', input.description ?? '');
      return this.get(id);
    });
  }

  /** A live conversation; tombstoned ones are not found unless asked for. */
  async get(id: string, options: { includeDeleted?: boolean } = {}): Promise<Conversation> {
    const row = await this.#database.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (row.deleted_at !== null && !options.includeDeleted))
      throw new NotFoundError('conversation', id);
    return toConversation(row as ConversationRow);
  }

  update(id: string, patch: ConversationPatch): Promise<Conversation> {
    return this.#database.atomic(async () => {
      await this.#database.lockConversation(id);
      const current = await this.get(id);
      const next = {
        title: patch.title ?? current.title,
        description: patch.description ?? current.description,
        startupScript: patch.startupScript ?? current.startupScript,
        settings: { ...current.settings, ...definedOnly(patch.settings ?? {}) },
      };
      await this.#database.db
        .updateTable('conversations')
        .set({
          title: next.title,
          description: next.description,
          startup_script: next.startupScript,
          settings: JSON.stringify(next.settings),
          updated_at: nowIso(),
          ...(patch.visibility === undefined ? {} : { visibility: patch.visibility }),
        })
        .where('id', '=', id)
        .execute();
      if (patch.title !== undefined || patch.description !== undefined) {
        await this.#searchIndex.indexConversation(id, next.title, next.description);
      }
      return this.get(id);
    });
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    const at = nowIso();
    await this.#database.db
      .updateTable('conversations')
      .set({ deleted_at: at, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async restore(id: string): Promise<Conversation> {
    const conversation = await this.get(id, { includeDeleted: true });
    if (conversation.deletedAt === null) throw new ConflictError(`conversation ${id} is not deleted`);
    await this.#database.db
      .updateTable('conversations')
      .set({ deleted_at: null, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
    return this.get(id);
  }

  /** Marks a change inside the conversation, so the sidebar's newest-first order follows the work. */
  async touch(id: string, at: string = nowIso()): Promise<void> {
    await this.#database.db
      .updateTable('conversations')
      .set({ updated_at: later('updated_at', at) })
      .where('id', '=', id)
      .execute();
  }

  /** Another path: its cached totals no longer hold. */
  async setLeaf(id: string, leafId: string | null): Promise<void> {
    await this.#database.db
      .updateTable('conversations')
      .set({ current_leaf_id: leafId, path_stats: null })
      .where('id', '=', id)
      .execute();
  }

  /**
   * What an append needs of a live conversation, without parsing its settings: the leaf, and the totals
   * along the path to it when they are known. Inside a transaction it locks the row (see lockConversation),
   * since the append then moves the leaf it read.
   */
  async head(id: string): Promise<ConversationHead> {
    // On PostgreSQL inside a transaction the read takes the row lock itself (see lockConversation): one
    // round trip less on every append.
    if (this.#database.kind === 'postgres' && this.#database.inTransaction) {
      const [row] = (await HEAD_LOCKED.execute(this.#database, id)).rows;
      if (!row) throw new NotFoundError('conversation', id);
      return { currentLeafId: row.leaf, pathStats: validStats(row.stats, row.leaf) };
    }
    const [row] = (await HEAD.execute(this.#database, id)).rows;
    if (!row) throw new NotFoundError('conversation', id);
    const leafHasChildren = row.leaf_has_children === true || row.leaf_has_children === 1;
    return { currentLeafId: row.leaf, pathStats: validStats(row.stats, row.leaf), leafHasChildren };
  }

  /** The append at the end of the path: one write moves the leaf, keeps the totals and marks the change. */
  async advanceLeaf(id: string, leafId: string, stats: PathStats | null, at: string): Promise<void> {
    await ADVANCE_LEAF.execute(this.#database, id, leafId, stats === null ? null : JSON.stringify(stats), at);
  }

  /** Totals for the path to `leafId`, or null when a change since has made them unknown. */
  async pathStats(id: string): Promise<PathStats | null> {
    const row = await this.#database.db
      .selectFrom('conversations')
      .select(['current_leaf_id as leaf', 'path_stats as stats'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : validStats(row.stats, row.leaf);
  }

  async setPathStats(id: string, stats: PathStats | null): Promise<void> {
    await this.#database.db
      .updateTable('conversations')
      .set({ path_stats: stats === null ? null : JSON.stringify(stats) })
      .where('id', '=', id)
      .execute();
  }
}

/** The later of a timestamp column and `at` (both engines compare the ISO text; SQLite's MAX(a, b) is not portable). */
function later(column: 'updated_at', at: string) {
  return sql<string>`CASE WHEN ${sql.ref(column)} < ${at} THEN ${at} ELSE ${sql.ref(column)} END`;
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

// The append's own statements, compiled once (compiled-once.ts).
/**
 * The head, and whether its leaf has children, deleted ones included (then the append looks its siblings up).
 * Not in the locked read: PostgreSQL evaluates a subquery on the snapshot taken before waiting for the lock, so
 * a child committed meanwhile would be missed; that read leaves it unknown.
 */
const HEAD = new CompiledOnce((db, id: string) =>
  db
    .selectFrom('conversations')
    .select((eb) => [
      'current_leaf_id as leaf',
      'path_stats as stats',
      eb
        .exists(
          eb
            .selectFrom('messages')
            .select('messages.id')
            .whereRef('messages.conversation_id', '=', 'conversations.id')
            .whereRef('messages.parent_id', '=', 'conversations.current_leaf_id'),
        )
        .as('leaf_has_children'),
    ])
    .where('conversations.id', '=', id)
    .where('conversations.deleted_at', 'is', null),
);

const HEAD_LOCKED = new CompiledOnce((db, id: string) =>
  db
    .selectFrom('conversations')
    .select(['current_leaf_id as leaf', 'path_stats as stats'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate(),
);

const ADVANCE_LEAF = new CompiledOnce((db, id: string, leafId: string, stats: string | null, at: string) =>
  db
    .updateTable('conversations')
    .set({ current_leaf_id: leafId, path_stats: stats, updated_at: later('updated_at', at) })
    .where('id', '=', id),
);
