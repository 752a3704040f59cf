import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { ConversationFilters } from '../core/api/review-schemas.ts';
import { DEFAULT_WINDOW, type PathStatsDto } from '../core/api/schemas.ts';
import { DEFAULT_SYSTEM_PROMPT } from '../core/context/default-system-prompt.ts';
import type { Conversation, ConversationSettings, Message, Role } from '../core/domain.ts';
import { InvalidRequestError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import { newId } from '../core/ids.ts';
import type { Visibility } from '../core/permissions.ts';
import type { Store } from '../store/store.ts';

/** A window of the current path with the totals of the whole path (issue 7 item 9). */
export interface MessageWindow {
  /** The newest messages of the window, oldest first. */
  messages: Message[];
  hasOlder: boolean;
  pathStats: PathStatsDto;
}

export interface ConversationView extends Conversation, MessageWindow {}

export interface WindowOptions {
  before?: string;
  through?: string;
  limit?: number;
  includeDeleted?: boolean;
}

const NO_MESSAGES: MessageWindow = {
  messages: [],
  hasOlder: false,
  pathStats: { messages: 0, deleted: 0, included: 0, includedTokens: 0 },
};

export interface NewMessageInput {
  role: Role;
  author?: string;
  content: string;
  included?: boolean;
  parentId?: string | null;
  /** Tool calls a person writes as the assistant; each gets an id, as a model's call has. */
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
}

/**
 * The person's manual actions on conversations: each one a single transaction, announced on the event bus
 * once it has committed (so a listener never sees a change that could still roll back).
 */
export interface WorkbenchHooks {
  /** After a person's message is added (the terminal proposes the commands of an assistant message). */
  messageAdded?: (message: Message) => void;
  /**
   * Refuses a workspace the rules do not allow (ShellSessions.checkWorkspace), before it is stored;
   * `confinedTo`: the account whose own folder it must lie in (a team server's member), else null.
   */
  checkWorkspace?: (path: string, confinedTo: string | null) => void;
}

export class Workbench {
  readonly #store: Store;
  readonly #events: EventBus;
  readonly #hooks: WorkbenchHooks;

  constructor(store: Store, events: EventBus, hooks: WorkbenchHooks = {}) {
    this.#store = store;
    this.#events = events;
    this.#hooks = hooks;
  }

  /** Who may reach which conversation (the server's guard asks it before a route runs). */
  get access() {
    return this.#store.access;
  }

  /**
   * With `visibleTo` (an account id), only the conversations it may see; null or absent: all. `filters`: the
   * sidebar's (issue 9 item 1).
   */
  listConversations(visibleTo: string | null = null, filters: ConversationFilters = {}) {
    return this.#store.conversations.list({ visibleTo, filters });
  }

  /** The conversation with the newest window of its path: what opening it costs does not grow with it. */
  getConversation(id: string, options: WindowOptions = {}): Promise<ConversationView> {
    return this.#store.transaction(async () => ({
      ...(await this.#store.conversations.get(id)),
      ...(await this.#window(id, options)),
    }));
  }

  /** An older window of the path (`before` the oldest message the page holds), with the path's totals. */
  messageWindow(id: string, options: WindowOptions): Promise<MessageWindow> {
    return this.#store.transaction(() => this.#window(id, options));
  }

  async #window(id: string, options: WindowOptions): Promise<MessageWindow> {
    const { messages, hasOlder } = await this.#store.messages.window(id, {
      ...options,
      limit: options.limit ?? DEFAULT_WINDOW,
    });
    const stats = await this.#store.messages.pathStats(id);
    if (stats === null) return { ...NO_MESSAGES, messages, hasOlder };
    const { leafId: _leafId, ...pathStats } = stats;
    return { messages, hasOlder, pathStats };
  }

  /** A new conversation starts with the default system prompt unless `systemPrompt` says otherwise. */
  async createConversation(input: {
    title?: string;
    description?: string;
    systemPrompt?: string;
  }): Promise<ConversationView> {
    const { systemPrompt, ...fields } = input;
    const conversation = await this.#store.transaction(() =>
      this.#store.conversations.create({
        ...fields,
        settings: { systemPrompt: systemPrompt ?? DEFAULT_SYSTEM_PROMPT },
      }),
    );
    this.#events.publish({ type: 'conversation-created', conversationId: conversation.id });
    return { ...conversation, ...NO_MESSAGES };
  }

  async updateConversation(
    id: string,
    patch: {
      title?: string;
      description?: string;
      startupScript?: string;
      settings?: ConversationSettings;
      visibility?: Visibility;
    },
    options: { confinedTo?: string | null } = {},
  ): Promise<ConversationView> {
    if (patch.settings?.workspace !== undefined) {
      checkWorkspace(patch.settings.workspace);
      this.#hooks.checkWorkspace?.(patch.settings.workspace, options.confinedTo ?? null);
    }
    await this.#store.transaction(() => this.#store.conversations.update(id, patch));
    this.#events.publish({ type: 'conversation-updated', conversationId: id });
    return this.getConversation(id);
  }

  async deleteConversation(id: string): Promise<void> {
    await this.#store.transaction(() => this.#store.conversations.delete(id));
    this.#events.publish({ type: 'conversation-deleted', conversationId: id });
  }

  async restoreConversation(id: string): Promise<ConversationView> {
    await this.#store.transaction(() => this.#store.conversations.restore(id));
    this.#events.publish({ type: 'conversation-restored', conversationId: id });
    return this.getConversation(id);
  }

  async appendMessage(conversationId: string, input: NewMessageInput): Promise<Message> {
    const message = await this.#store.transaction(() =>
      this.#store.messages.append(conversationId, {
        role: input.role,
        author: input.author ?? defaultAuthor(input.role),
        content: input.content,
        editor: 'human',
        ...(input.included === undefined ? {} : { included: input.included }),
        ...(input.parentId === undefined ? {} : { parentId: input.parentId }),
        ...(input.toolCalls === undefined
          ? {}
          : {
              toolCalls: input.toolCalls.map((call) => ({
                id: `call_${newId().replaceAll('-', '')}`,
                name: call.name,
                arguments: JSON.stringify(call.arguments),
              })),
            }),
      }),
    );
    this.#events.publish({ type: 'message-created', conversationId, message });
    this.#hooks.messageAdded?.(message);
    return message;
  }

  async updateMessage(id: string, patch: { content?: string; included?: boolean }): Promise<Message> {
    // The revision before is read in the same transaction: another request's edit in between must not make
    // this one look like it added (or did not add) a revision.
    const { before, message } = await this.#store.transaction(async () => {
      const before = await this.#store.messages.get(id);
      if (patch.content !== undefined) await this.#store.messages.revise(id, patch.content, 'human');
      if (patch.included !== undefined) await this.#store.messages.setIncluded(id, patch.included);
      return { before, message: await this.#store.messages.get(id) };
    });
    if (message.revision !== before.revision) {
      this.#events.publish({
        type: 'revision-created',
        conversationId: message.conversationId,
        messageId: id,
      });
    }
    this.#events.publish({ type: 'message-updated', conversationId: message.conversationId, message });
    return message;
  }

  revisions(id: string) {
    return this.#store.messages.revisions(id);
  }

  async deleteMessages(ids: readonly string[]): Promise<Message[]> {
    const { changed, messages } = await this.#store.transaction(async () => ({
      changed: await this.#store.messages.delete(ids),
      messages: await this.#messages(ids),
    }));
    for (const { conversationId, messageIds } of changed) {
      this.#events.publish({ type: 'messages-deleted', conversationId, messageIds });
    }
    return messages;
  }

  async restoreMessages(ids: readonly string[]): Promise<Message[]> {
    const { changed, messages } = await this.#store.transaction(async () => ({
      changed: await this.#store.messages.restore(ids),
      messages: await this.#messages(ids),
    }));
    for (const { conversationId, messageIds } of changed) {
      this.#events.publish({ type: 'messages-restored', conversationId, messageIds });
    }
    return messages;
  }

  async #messages(ids: readonly string[]): Promise<Message[]> {
    const messages: Message[] = [];
    for (const id of ids) messages.push(await this.#store.messages.get(id));
    return messages;
  }

  async fork(conversationId: string, messageId: string): Promise<ConversationView> {
    const fork = await this.#store.fork(conversationId, messageId);
    this.#events.publish({ type: 'conversation-created', conversationId: fork.id });
    return this.getConversation(fork.id);
  }

  async copyMessages(
    conversationId: string,
    messageIds: readonly string[],
    parentId?: string | null,
  ): Promise<Message[]> {
    const copies = await this.#store.transaction(() =>
      this.#store.messages.copy(conversationId, messageIds, parentId),
    );
    for (const message of copies) {
      this.#events.publish({ type: 'message-created', conversationId, message });
    }
    return copies;
  }

  async selectBranch(conversationId: string, messageId: string): Promise<ConversationView> {
    const leafId = await this.#store.transaction(() =>
      this.#store.messages.selectBranch(conversationId, messageId),
    );
    this.#events.publish({ type: 'branch-selected', conversationId, leafId });
    return this.getConversation(conversationId);
  }

  /** With `visibleTo` (an account id), only in the conversations it may see; null or absent: all. */
  search(query: string, visibleTo: string | null = null) {
    return this.#store.search.search(query, undefined, { visibleTo });
  }
}

/** A workspace the person picks must be a folder that exists: commands run there. */
function checkWorkspace(path: string): void {
  if (!isAbsolute(path))
    throw new InvalidRequestError(`workspace must be an absolute path, not ${path}`, 'workspace');
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new InvalidRequestError(`workspace ${path} is not a folder that exists`, 'workspace');
  }
}

/** A person typing as any role is a human author; output pasted as a tool result is the terminal's. */
export function defaultAuthor(role: Role): string {
  return role === 'tool' ? 'terminal' : 'human';
}
