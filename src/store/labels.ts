/**
 * Review labels (issue 9 item 1): a rating (good / bad, with an optional reason) or a note on a model message
 * or a proposal, tags on those or on a conversation, and a conversation's outcome. The dataset builders read
 * them (preference pairs, filters) through `forConversation`.
 *
 * Nothing is overwritten: rating again, editing a note or choosing another outcome tombstones the label it
 * replaces and adds the new one, and removing one tombstones it, so a review keeps its history (and an
 * export can tell what a person thought first). Which labels are one-per-what (review-schemas.ts): a rating
 * and a note are each account's own; a tag and the outcome are shared. A change locks the conversation first,
 * so two servers on one PostgreSQL database cannot both add the "one current" label.
 */
import type { LabelDto, LabelName, LabelTargetKind, Rating } from '../core/api/review-schemas.ts';
import type { RecordLabel } from '../core/datasets/conversation-record.ts';
import { InvalidRequestError, NotFoundError } from '../core/errors.ts';
import { newId, nowIso } from '../core/ids.ts';
import { currentAccountId } from './acting-account.ts';
import type { LabelsTable } from './engines/store-tables.ts';
import type { StoreDatabase } from './store-database.ts';

export interface LabelTarget {
  kind: LabelTargetKind;
  id: string;
}

/** What a change did: the label now current (null after a removal), and the ones it tombstoned. */
export interface LabelChange {
  conversationId: string;
  label: LabelDto | null;
  removed: LabelDto[];
  /** False when the target already had exactly this (the same rating again, a tag it has, nothing to remove). */
  changed: boolean;
}

/** Where each label may go. A rating judges what a model (or a person playing it) put forward. */
const TARGETS: Record<LabelName, readonly LabelTargetKind[]> = {
  rating: ['message', 'proposal'],
  note: ['message', 'proposal', 'conversation'],
  tag: ['message', 'proposal', 'conversation'],
  outcome: ['conversation'],
};

type LabelRow = Pick<
  LabelsTable,
  | 'id'
  | 'target_kind'
  | 'target_id'
  | 'name'
  | 'value'
  | 'reason'
  | 'account_id'
  | 'created_at'
  | 'deleted_at'
>;
const COLUMNS = [
  'id',
  'target_kind',
  'target_id',
  'name',
  'value',
  'reason',
  'account_id',
  'created_at',
  'deleted_at',
] as const;

export class LabelRepository {
  readonly #database: StoreDatabase;

  constructor(database: StoreDatabase) {
    this.#database = database;
  }

  /**
   * The current labels of a conversation and of everything in it, oldest first: what the dataset record
   * carries (`RecordLabel`), tombstoned ones left out.
   *
   * @example
   * (await store.labels.forConversation(id)).filter((label) => label.name === 'rating');
   */
  async forConversation(conversationId: string): Promise<RecordLabel[]> {
    return (await this.list(conversationId)).map(({ deletedAt: _deletedAt, ...label }) => label);
  }

  /** The labels of a conversation as the API shows them; with `includeRemoved`, its whole review history. */
  async list(conversationId: string, options: { includeRemoved?: boolean } = {}): Promise<LabelDto[]> {
    const rows = await this.#database.db
      .selectFrom('labels')
      .select(COLUMNS)
      .where('conversation_id', '=', conversationId)
      .$if(options.includeRemoved !== true, (query) => query.where('deleted_at', 'is', null))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toLabel);
  }

  /**
   * Rates a message or proposal for the acting account, replacing that account's earlier rating of it.
   * Rating it again the same way with the same reason changes nothing.
   */
  rate(target: LabelTarget, input: { value: Rating; reason?: string | null }): Promise<LabelChange> {
    const reason = input.reason === undefined || input.reason === '' ? null : input.reason;
    return this.#replace(target, 'rating', { value: input.value, reason, own: true });
  }

  /** Sets the acting account's note on a target; an empty text removes it. */
  note(target: LabelTarget, text: string): Promise<LabelChange> {
    if (text.trim() === '') return this.#remove(target, 'note', { own: true });
    return this.#replace(target, 'note', { value: text, reason: null, own: true });
  }

  /** Sets the conversation's outcome (one for everyone); null clears it. */
  outcome(conversationId: string, value: string | null): Promise<LabelChange> {
    const target: LabelTarget = { kind: 'conversation', id: conversationId };
    if (value === null) return this.#remove(target, 'outcome', { own: false });
    return this.#replace(target, 'outcome', { value, reason: null, own: false });
  }

  /** Removes the acting account's rating of a target (nothing to remove: an empty change). */
  unrate(target: LabelTarget): Promise<LabelChange> {
    return this.#remove(target, 'rating', { own: true });
  }

  /** Tags a target; a tag it already has is kept as it is. */
  tag(target: LabelTarget, tag: string): Promise<LabelChange> {
    return this.#database.atomic(async () => {
      const conversationId = await this.#begin(target, 'tag');
      const [existing] = await this.#current(target, 'tag', { own: false, value: tag });
      if (existing !== undefined) {
        return { conversationId, label: toLabel(existing), removed: [], changed: false };
      }
      const label = await this.#insert(conversationId, target, 'tag', tag, null);
      return { conversationId, label, removed: [], changed: true };
    });
  }

  /** Removes a tag from a target, whoever added it. */
  untag(target: LabelTarget, tag: string): Promise<LabelChange> {
    return this.#remove(target, 'tag', { own: false, value: tag });
  }

  #replace(
    target: LabelTarget,
    name: LabelName,
    input: { value: string; reason: string | null; own: boolean },
  ): Promise<LabelChange> {
    return this.#database.atomic(async () => {
      const conversationId = await this.#begin(target, name);
      const current = await this.#current(target, name, { own: input.own });
      const same =
        current.length === 1 && current[0]!.value === input.value && current[0]!.reason === input.reason;
      if (same) return { conversationId, label: toLabel(current[0]!), removed: [], changed: false };
      const removed = await this.#tombstone(current);
      const label = await this.#insert(conversationId, target, name, input.value, input.reason);
      return { conversationId, label, removed, changed: true };
    });
  }

  #remove(
    target: LabelTarget,
    name: LabelName,
    scope: { own: boolean; value?: string },
  ): Promise<LabelChange> {
    return this.#database.atomic(async () => {
      const conversationId = await this.#begin(target, name);
      const removed = await this.#tombstone(await this.#current(target, name, scope));
      return { conversationId, label: null, removed, changed: removed.length > 0 };
    });
  }

  /** Checks the label fits the target, finds the target's conversation and locks it (inside the transaction). */
  async #begin(target: LabelTarget, name: LabelName): Promise<string> {
    if (!TARGETS[name].includes(target.kind)) {
      throw new InvalidRequestError(
        `a ${name} goes on a ${TARGETS[name].join(' or ')}, not on a ${target.kind}`,
        'targetKind',
      );
    }
    const conversationId = await this.#conversationOf(target);
    await this.#database.lockConversation(conversationId);
    return conversationId;
  }

  async #conversationOf(target: LabelTarget): Promise<string> {
    const db = this.#database.db;
    const row =
      target.kind === 'conversation'
        ? await db
            .selectFrom('conversations')
            .select('id as conversationId')
            .where('id', '=', target.id)
            .executeTakeFirst()
        : await db
            .selectFrom(target.kind === 'message' ? 'messages' : 'proposals')
            .select('conversation_id as conversationId')
            .where('id', '=', target.id)
            .executeTakeFirst();
    if (row === undefined) throw new NotFoundError(target.kind, target.id);
    return row.conversationId;
  }

  /** The current labels of this kind on the target: the acting account's own, or everyone's; of one value. */
  #current(
    target: LabelTarget,
    name: LabelName,
    scope: { own: boolean; value?: string },
  ): Promise<LabelRow[]> {
    const account = currentAccountId();
    return this.#database.db
      .selectFrom('labels')
      .select(COLUMNS)
      .where('target_kind', '=', target.kind)
      .where('target_id', '=', target.id)
      .where('name', '=', name)
      .where('deleted_at', 'is', null)
      .$if(scope.own, (query) =>
        account === null ? query.where('account_id', 'is', null) : query.where('account_id', '=', account),
      )
      .$if(scope.value !== undefined, (query) => query.where('value', '=', scope.value ?? ''))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async #tombstone(rows: readonly LabelRow[]): Promise<LabelDto[]> {
    if (rows.length === 0) return [];
    const at = nowIso();
    await this.#database.db
      .updateTable('labels')
      .set({ deleted_at: at })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    return rows.map((row) => toLabel({ ...row, deleted_at: at }));
  }

  async #insert(
    conversationId: string,
    target: LabelTarget,
    name: LabelName,
    value: string,
    reason: string | null,
  ): Promise<LabelDto> {
    const row: LabelRow = {
      id: newId(),
      target_kind: target.kind,
      target_id: target.id,
      name,
      value,
      reason,
      account_id: currentAccountId(),
      created_at: nowIso(),
      deleted_at: null,
    };
    await this.#database.db
      .insertInto('labels')
      .values({ ...row, conversation_id: conversationId })
      .execute();
    return toLabel(row);
  }
}

function toLabel(row: LabelRow): LabelDto {
  return {
    id: row.id,
    targetKind: row.target_kind as LabelTargetKind,
    targetId: row.target_id,
    name: row.name as LabelName,
    value: row.value ?? '',
    reason: row.reason,
    accountId: row.account_id,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
  };
}
