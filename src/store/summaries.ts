/**
 * Summary messages (issue 8 item 7). A conversation is a chain of parents, so a summary cannot be put in the
 * middle of a path without re-parenting what follows; it is appended at the leaf as an ordinary message (a
 * person edits it through revisions like any other) carrying `summarizes`, the ids it stands for, and
 * context assembly reads it where the first of them stands. Its originals stay on the path, unchecked, so
 * nothing is lost and undoing is two flags: the originals checked again, the summary unchecked.
 */
import type { Kysely } from 'kysely';
import type { Editor, Message, Role } from '../core/domain.ts';
import { ConflictError, InvalidRequestError } from '../core/errors.ts';
import type { StoreTables } from './engines/store-tables.ts';
import type { MessageRepository } from './messages.ts';
import type { StoreDatabase } from './store-database.ts';

export interface NewSummary {
  content: string;
  role: Role;
  author: string;
  editor: Editor;
  /** The live, checked messages of the current path it stands for, oldest first. */
  summarizes: readonly string[];
  /** The call that drafted it, when a model did. */
  modelCallId?: string | null;
}

export class SummaryRepository {
  readonly #database: StoreDatabase;
  readonly #messages: MessageRepository;

  constructor(database: StoreDatabase, messages: MessageRepository) {
    this.#database = database;
    this.#messages = messages;
  }

  /** Appends the summary at the conversation's leaf and unchecks its originals, all or nothing. */
  create(conversationId: string, input: NewSummary): Promise<{ summary: Message; originals: Message[] }> {
    if (input.summarizes.length === 0) {
      throw new InvalidRequestError('a summary must stand for at least one message', 'summarizes');
    }
    return this.#database.atomic(async () => {
      const appended = await this.#messages.append(conversationId, {
        role: input.role,
        author: input.author,
        content: input.content,
        editor: input.editor,
        modelCallId: input.modelCallId ?? null,
      });
      await this.#database.db
        .updateTable('messages')
        .set({ summarizes: JSON.stringify(input.summarizes) })
        .where('id', '=', appended.id)
        .execute();
      const originals: Message[] = [];
      for (const id of input.summarizes) originals.push(await this.#messages.setIncluded(id, false));
      return { summary: await this.#messages.get(appended.id), originals };
    });
  }

  /** Un-summarizes: the originals (the live ones) are checked again and the summary unchecked. */
  undo(summaryId: string): Promise<{ summary: Message; originals: Message[] }> {
    return this.#database.atomic(async () => {
      const summary = await this.#messages.get(summaryId);
      if (!summary.summarizes?.length) throw new ConflictError(`message ${summaryId} is not a summary`);
      const originals: Message[] = [];
      for (const id of summary.summarizes) {
        const original = await this.#messages.get(id);
        originals.push(original.deleted ? original : await this.#messages.setIncluded(id, true));
      }
      const unchecked = summary.deleted ? summary : await this.#messages.setIncluded(summaryId, false);
      return { summary: unchecked, originals };
    });
  }
}

/** A message copied by MessageRepository.copy, with its source's `summarizes` (JSON text or null). */
export interface CopiedMessage {
  sourceId: string;
  copyId: string;
  summarizes: string | null;
}

/**
 * A copied summary (a fork, Copy to…) stands for the copies of its originals copied with it, so the fork reads
 * its history in the same order; originals left behind are dropped, and a summary with none of them copied
 * becomes a plain message. Writes only for summaries: a copy of anything else costs nothing here.
 */
export async function carrySummaries(
  db: Kysely<StoreTables>,
  copied: readonly CopiedMessage[],
): Promise<void> {
  const copyOf = new Map(copied.map((entry) => [entry.sourceId, entry.copyId]));
  for (const entry of copied) {
    if (entry.summarizes === null) continue;
    const ids = (JSON.parse(entry.summarizes) as string[])
      .map((id) => copyOf.get(id))
      .filter((id): id is string => id !== undefined);
    if (ids.length === 0) continue;
    await db
      .updateTable('messages')
      .set({ summarizes: JSON.stringify(ids) })
      .where('id', '=', entry.copyId)
      .execute();
  }
}
