import type { Conversation } from '../core/domain.ts';
import { InvalidRequestError } from '../core/errors.ts';
import { ConversationRepository } from './conversations.ts';
import { ExecutionRepository } from './executions.ts';
import { ImportKeyRepository } from './import-keys.ts';
import { MessageRepository } from './messages.ts';
import { ModelCallRepository } from './model-calls.ts';
import { type OpenDatabaseOptions, openDatabase, type SqliteDatabase } from './open-database.ts';
import { ProposalRepository } from './proposals.ts';
import { SearchIndex } from './search.ts';
import { transaction } from './sqlite.ts';

export interface StoreOptions extends OpenDatabaseOptions {
  /** How long a new message may wait before the background batch indexes it for search (default 200 ms). */
  searchIndexDelayMs?: number;
}

/**
 * The one way into the database. Each user action should run inside `transaction`, so it is all-or-nothing
 * and costs one fsync.
 */
export class Store {
  readonly db: SqliteDatabase;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly search: SearchIndex;
  readonly importKeys: ImportKeyRepository;
  readonly modelCalls: ModelCallRepository;
  readonly proposals: ProposalRepository;
  readonly executions: ExecutionRepository;

  constructor(db: SqliteDatabase, options: { searchIndexDelayMs?: number } = {}) {
    this.db = db;
    this.search = new SearchIndex(
      db,
      options.searchIndexDelayMs === undefined ? {} : { delayMs: options.searchIndexDelayMs },
    );
    this.conversations = new ConversationRepository(db, this.search);
    this.messages = new MessageRepository(db, this.conversations, this.search);
    this.importKeys = new ImportKeyRepository(db);
    this.modelCalls = new ModelCallRepository(db);
    this.proposals = new ProposalRepository(db);
    this.executions = new ExecutionRepository(db);
  }

  static open(path: string, options: StoreOptions = {}): Store {
    return new Store(openDatabase(path, options), options);
  }

  /** Runs `action` in one transaction (a nested call is a savepoint inside the outer one). */
  transaction<T>(action: () => T): T {
    return transaction(this.db, action);
  }

  /**
   * A new conversation holding copies of the path from the root to `messageId`, each linked to its source.
   * Tombstoned messages on the way are left out.
   */
  fork(conversationId: string, messageId: string): Conversation {
    return this.transaction(() => {
      const source = this.conversations.get(conversationId);
      const target = this.messages.get(messageId);
      if (target.conversationId !== conversationId) {
        throw new InvalidRequestError(
          `message ${messageId} is not in conversation ${conversationId}`,
          'messageId',
        );
      }
      const path = this.#pathTo(messageId);
      const fork = this.conversations.create({
        title: source.title === '' ? 'Fork' : `${source.title} (fork)`,
        description: source.description,
        startupScript: source.startupScript,
        settings: source.settings,
        forkedFromConversationId: conversationId,
        forkedFromMessageId: messageId,
      });
      const live = path.filter((id) => !this.messages.get(id).deleted);
      if (live.length > 0) this.messages.copy(fork.id, live, null);
      return this.conversations.get(fork.id);
    });
  }

  /** Ids from the root to `messageId`, oldest first. */
  #pathTo(messageId: string): string[] {
    const ids: string[] = [];
    let current: string | null = messageId;
    while (current !== null) {
      ids.push(current);
      current = this.messages.get(current).parentId;
    }
    return ids.reverse();
  }

  /** Closes the database; messages still queued for search are indexed by the next open. */
  close(): void {
    this.search.close();
    this.db.close();
  }
}
