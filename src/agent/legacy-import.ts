import { createHash } from 'node:crypto';
import {
  type LegacyImportPlan,
  type PlannedConversation,
  type PlannedMessage,
  type PlannedModelCall,
  planLegacyImport,
} from '../core/legacy/import-plan.ts';
import type { LegacyImportCounts } from '../core/legacy/import-summary.ts';
import type { LegacyDatabase } from '../core/legacy/legacy-database.ts';
import type { UtcOffsetAt } from '../core/legacy/legacy-time.ts';
import { readLegacyDatabase } from '../store/legacy/legacy-reader.ts';
import type { Store } from '../store/store.ts';

/** `import_keys.source` for everything that came from an original ModelProgrammer database. */
export const LEGACY_IMPORT_SOURCE = 'legacy';

/** The original kept only responses; this marks the request as unknown rather than inventing one. */
export const LEGACY_REQUEST = JSON.stringify({
  legacy: true,
  note: 'not recorded by the original ModelProgrammer',
});

export interface LegacyImportProgress {
  /** Messages and model calls handled so far, including ones an earlier import already brought in. */
  done: number;
  total: number;
}

export interface LegacyImportResult extends LegacyImportCounts {
  /** What the file holds, whether or not it was new. */
  found: { conversations: number; messages: number };
  timeZone: LegacyImportPlan['timeZone'];
}

export interface LegacyImportOptions {
  store: Store;
  onProgress?: (progress: LegacyImportProgress) => void;
  /** The zone legacy times are in when the file cannot tell (default: this machine's). */
  fallbackOffsetAt?: UtcOffsetAt;
}

/** Reads, checks and imports a legacy database file. A file that is not one throws before anything is written. */
export function importLegacyDatabase(
  options: LegacyImportOptions & { path: string },
): Promise<LegacyImportResult> {
  return importLegacyData({ ...options, legacy: readLegacyDatabase(options.path) });
}

/**
 * Imports legacy data read earlier (the CLI reads first, so a bad file does not even create the data dir).
 * One transaction: all of it or none of it. Import keys make a second run add only what is new.
 */
export async function importLegacyData(
  options: LegacyImportOptions & { legacy: LegacyDatabase },
): Promise<LegacyImportResult> {
  const plan = planLegacyImport({
    legacy: options.legacy,
    digest: sha256,
    fallbackOffsetAt: options.fallbackOffsetAt ?? machineOffsetAt,
  });
  const counts = await options.store.transaction(() =>
    new PlanWriter(options.store, plan, options.onProgress).write(),
  );
  return {
    ...counts,
    found: {
      conversations: plan.conversations.length,
      messages: plan.conversations.reduce((sum, conversation) => sum + conversation.messages.length, 0),
    },
    timeZone: plan.timeZone,
  };
}

class PlanWriter {
  readonly #store: Store;
  readonly #plan: LegacyImportPlan;
  readonly #onProgress: ((progress: LegacyImportProgress) => void) | undefined;
  readonly #counts: LegacyImportCounts = {
    conversations: 0,
    messages: 0,
    revisions: 0,
    modelCalls: 0,
    unlinkedModelCalls: 0,
    skippedConversations: 0,
  };
  #done = 0;
  readonly #total: number;

  constructor(store: Store, plan: LegacyImportPlan, onProgress?: (progress: LegacyImportProgress) => void) {
    this.#store = store;
    this.#plan = plan;
    this.#onProgress = onProgress;
    this.#total = plan.conversations.reduce(
      (sum, conversation) => sum + conversation.messages.length + conversation.unlinkedModelCalls.length,
      0,
    );
  }

  async write(): Promise<LegacyImportCounts> {
    this.#onProgress?.({ done: 0, total: this.#total });
    for (const conversation of this.#plan.conversations) await this.#writeConversation(conversation);
    return this.#counts;
  }

  async #writeConversation(planned: PlannedConversation): Promise<void> {
    const existingId = await this.#key(planned.key);
    if (
      existingId !== undefined &&
      (await this.#store.conversations.get(existingId, { includeDeleted: true })).deletedAt
    ) {
      // The person deleted what an earlier import brought in; importing again must not bring it back.
      this.#counts.skippedConversations++;
      this.#advance(planned.messages.length + planned.unlinkedModelCalls.length);
      return;
    }
    const conversationId = existingId ?? (await this.#createConversation(planned));
    const ids = new Map<string, string>();
    let changed = existingId === undefined;
    for (const message of planned.messages) {
      changed = (await this.#writeMessage(conversationId, message, ids)) || changed;
      this.#advance(1);
    }
    for (const call of planned.unlinkedModelCalls) {
      if (await this.#writeModelCall(conversationId, null, call)) {
        this.#counts.unlinkedModelCalls++;
        changed = true;
      }
      this.#advance(1);
    }
    // Only a change moves the current path: re-importing must not undo a branch the person has since chosen.
    if (changed) {
      await this.#store.conversations.setLeaf(conversationId, ids.get(planned.currentLeafKey) ?? null);
      await this.#store.conversations.touch(conversationId, planned.updatedAt);
    }
  }

  async #createConversation(planned: PlannedConversation): Promise<string> {
    const conversation = await this.#store.conversations.create({
      title: planned.title,
      description: planned.description,
      startupScript: planned.startupScript,
      createdAt: planned.createdAt,
    });
    await this.#store.importKeys.set(LEGACY_IMPORT_SOURCE, planned.key, conversation.id);
    this.#counts.conversations++;
    return conversation.id;
  }

  /** Whether anything was added. */
  async #writeMessage(
    conversationId: string,
    planned: PlannedMessage,
    ids: Map<string, string>,
  ): Promise<boolean> {
    let changed = false;
    let id = await this.#key(planned.key);
    if (id === undefined) {
      const [first] = planned.revisions;
      const message = await this.#store.messages.append(conversationId, {
        role: planned.role,
        author: planned.author,
        content: first?.content ?? '',
        editor: first?.editor ?? 'import',
        parentId: planned.parentKey === null ? null : (ids.get(planned.parentKey) ?? null),
        createdAt: planned.createdAt,
        makeCurrent: false,
      });
      id = message.id;
      await this.#store.importKeys.set(LEGACY_IMPORT_SOURCE, planned.key, id);
      if (first) await this.#store.importKeys.set(LEGACY_IMPORT_SOURCE, first.key, id);
      this.#counts.messages++;
      changed = true;
    }
    ids.set(planned.key, id);
    let current = await this.#store.messages.get(id);
    for (const revision of planned.revisions) {
      // A message the person deleted in ModelProgrammer stays as they left it.
      if (current.deleted || (await this.#key(revision.key)) !== undefined) continue;
      const revised = await this.#store.messages.revise(
        id,
        revision.content,
        revision.editor,
        revision.createdAt,
      );
      await this.#store.importKeys.set(LEGACY_IMPORT_SOURCE, revision.key, id);
      if (revised.revision > current.revision) {
        this.#counts.revisions++;
        changed = true;
      }
      current = revised;
    }
    if (planned.modelCall && (await this.#writeModelCall(conversationId, id, planned.modelCall))) {
      changed = true;
    }
    return changed;
  }

  async #writeModelCall(
    conversationId: string,
    messageId: string | null,
    planned: PlannedModelCall,
  ): Promise<boolean> {
    if ((await this.#key(planned.key)) !== undefined) return false;
    const call = await this.#store.modelCalls.create({
      conversationId,
      messageId,
      provider: 'openai',
      model: planned.model,
      request: LEGACY_REQUEST,
      response: planned.response,
      usage: planned.usage,
      finishReason: planned.finishReason,
      status: 'completed',
      createdAt: planned.createdAt,
      endedAt: planned.createdAt,
    });
    if (messageId !== null) await this.#store.messages.setModelCall(messageId, call.id);
    await this.#store.importKeys.set(LEGACY_IMPORT_SOURCE, planned.key, call.id);
    this.#counts.modelCalls++;
    return true;
  }

  #key(key: string): Promise<string | undefined> {
    return this.#store.importKeys.get(LEGACY_IMPORT_SOURCE, key);
  }

  #advance(by: number): void {
    this.#done += by;
    this.#onProgress?.({ done: this.#done, total: this.#total });
  }
}

/** The offset this machine's zone had at a wall-clock time (DST included), for files that cannot tell. */
function machineOffsetAt(wallClockMs: number): number {
  const wall = new Date(wallClockMs);
  const local = new Date(
    wall.getUTCFullYear(),
    wall.getUTCMonth(),
    wall.getUTCDate(),
    wall.getUTCHours(),
    wall.getUTCMinutes(),
    wall.getUTCSeconds(),
    wall.getUTCMilliseconds(),
  );
  return Math.round((wallClockMs - local.getTime()) / 60_000);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
