import type { Conversation } from '../core/domain.ts';
import { InvalidRequestError } from '../core/errors.ts';
import { AccountSessionRepository } from './account-sessions.ts';
import { AccountRepository } from './accounts.ts';
import { CheckpointRepository } from './checkpoints.ts';
import { ConversationAccessRepository } from './conversation-access.ts';
import { ConversationRepository } from './conversations.ts';
import type { DatabaseChoice } from './engines/database-url.ts';
import { directSqlite } from './engines/node-sqlite-dialect.ts';
import { type OpenEngineOptions, openStoreEngine, type StoreEngine } from './engines/open-engine.ts';
import { ExecutionRepository } from './executions.ts';
import { ImportKeyRepository } from './import-keys.ts';
import { LabelRepository } from './labels.ts';
import { MessageRepository } from './messages.ts';
import { ModelCallRepository } from './model-calls.ts';
import { PromptRepository } from './prompts.ts';
import { ProposalRepository } from './proposals.ts';
import { SearchIndex } from './search.ts';
import { StoreDatabase } from './store-database.ts';
import { SummaryRepository } from './summaries.ts';
import { TestRunRepository } from './test-runs.ts';

export interface StoreOptions {
  /** How long a new message may wait before the background batch indexes it for search (default 200 ms). */
  searchIndexDelayMs?: number;
  /** Migrate up to this version only (tests build older databases with it). */
  targetVersion?: number;
  /** This server process's id (core/server-process.ts), written on the model calls and commands it runs. */
  serverProcess?: string;
}

/**
 * The one way into the database, on SQLite or PostgreSQL alike (issue 10). Each user action should run
 * inside `transaction`, so it is all-or-nothing and costs one commit.
 */
export class Store {
  readonly engine: StoreEngine;
  readonly database: StoreDatabase;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly search: SearchIndex;
  readonly importKeys: ImportKeyRepository;
  readonly modelCalls: ModelCallRepository;
  readonly proposals: ProposalRepository;
  readonly executions: ExecutionRepository;
  readonly checkpoints: CheckpointRepository;
  readonly testRuns: TestRunRepository;
  /** Whose conversation a message, proposal, execution or model call is in (who may reach it). */
  readonly access: ConversationAccessRepository;
  /** Team accounts and their signed-in sessions (issue 10 item 3). */
  readonly accounts: AccountRepository;
  readonly accountSessions: AccountSessionRepository;
  /** Named system prompts a conversation can start from (issue 8 item 7). */
  readonly prompts: PromptRepository;
  /** Summary messages standing for ranges of a path (issue 8 item 7). */
  readonly summaries: SummaryRepository;
  /** Review labels: ratings, tags, notes, outcomes (issue 9 item 1). */
  readonly labels: LabelRepository;

  constructor(engine: StoreEngine, options: StoreOptions = {}) {
    this.engine = engine;
    this.database = new StoreDatabase(
      engine.kind,
      engine.db,
      engine.kind === 'sqlite' ? directSqlite(engine.sqlite) : undefined,
    );
    this.search = new SearchIndex(
      this.database,
      options.searchIndexDelayMs === undefined ? {} : { delayMs: options.searchIndexDelayMs },
    );
    this.conversations = new ConversationRepository(this.database, this.search);
    this.messages = new MessageRepository(this.database, this.conversations, this.search);
    this.importKeys = new ImportKeyRepository(this.database);
    const owner = options.serverProcess === undefined ? {} : { serverProcess: options.serverProcess };
    this.modelCalls = new ModelCallRepository(this.database, owner);
    this.proposals = new ProposalRepository(this.database);
    this.executions = new ExecutionRepository(this.database, owner);
    this.checkpoints = new CheckpointRepository(this.database);
    this.testRuns = new TestRunRepository(this.database);
    this.access = new ConversationAccessRepository(this.database);
    this.accounts = new AccountRepository(this.database);
    this.accountSessions = new AccountSessionRepository(this.database);
    this.prompts = new PromptRepository(this.database);
    this.summaries = new SummaryRepository(this.database, this.messages);
    this.labels = new LabelRepository(this.database);
  }

  /**
   * The store in a data dir's SQLite file (`{ engine: 'sqlite' }`, the default) or on a PostgreSQL server;
   * created and migrated if needed. A string is a SQLite file path (`:memory:` for a private one).
   *
   * @example
   * const store = await Store.open(chooseDatabase({ flag, environment }), { dataDir });
   */
  static async open(
    target: string | DatabaseChoice,
    options: StoreOptions & Partial<Pick<OpenEngineOptions, 'dataDir'>> = {},
  ): Promise<Store> {
    const migrate = options.targetVersion === undefined ? {} : { targetVersion: options.targetVersion };
    const engine =
      typeof target === 'string'
        ? await openStoreEngine({ engine: 'sqlite' }, { sqlitePath: target, ...migrate })
        : await openStoreEngine(target, { dataDir: options.dataDir, ...migrate });
    const store = new Store(engine, options);
    // A store held at an older version (a test building one) may predate the search queue (version 5).
    if (options.targetVersion === undefined) await store.search.start();
    return store;
  }

  /** Runs `action` in one transaction (a nested call is a savepoint inside the outer one). */
  transaction<T>(action: () => Promise<T>): Promise<T> {
    return this.database.transaction(action);
  }

  /**
   * A new conversation holding copies of the path from the root to `messageId`, each linked to its source.
   * Tombstoned messages on the way are left out.
   */
  fork(conversationId: string, messageId: string): Promise<Conversation> {
    return this.transaction(async () => {
      const source = await this.conversations.get(conversationId);
      const target = await this.messages.get(messageId);
      if (target.conversationId !== conversationId) {
        throw new InvalidRequestError(
          `message ${messageId} is not in conversation ${conversationId}`,
          'messageId',
        );
      }
      const path = await this.#pathTo(messageId);
      const fork = await this.conversations.create({
        title: source.title === '' ? 'Fork' : `${source.title} (fork)`,
        description: source.description,
        startupScript: source.startupScript,
        settings: source.settings,
        forkedFromConversationId: conversationId,
        forkedFromMessageId: messageId,
        visibility: source.visibility,
      });
      const live: string[] = [];
      for (const id of path) if (!(await this.messages.get(id)).deleted) live.push(id);
      if (live.length > 0) await this.messages.copy(fork.id, live, null);
      return this.conversations.get(fork.id);
    });
  }

  /** Ids from the root to `messageId`, oldest first. */
  async #pathTo(messageId: string): Promise<string[]> {
    const ids: string[] = [];
    let current: string | null = messageId;
    while (current !== null) {
      ids.push(current);
      current = (await this.messages.get(current)).parentId;
    }
    return ids.reverse();
  }

  /** Closes the database; messages still queued for search are indexed by the next open. */
  async close(): Promise<void> {
    this.search.close();
    // A batch already running finishes first: closed under it, it would fail and leave its work queued.
    await this.search.idle();
    await this.engine.close();
  }
}
