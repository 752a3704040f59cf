import type { ApprovalPolicy } from './approval-policy.ts';
import type { ResourceLimitsSetting } from './resource-limits.ts';
import type { SandboxKind } from './shell-session.ts';
/**
 * Domain types shared by every layer. The wire shapes live in `./api/`; these are what the store returns
 * and what pure logic (context assembly, command extraction) consumes.
 */

export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;
export type Role = (typeof ROLES)[number];

/** `human`, `model`, `terminal`, or any custom name the person typed (the original's editable role box). */
export type Author = string;
export const WELL_KNOWN_AUTHORS = ['human', 'model', 'terminal'] as const;

/** Who wrote a revision. `import` marks text that came from the legacy importer. */
export const EDITORS = ['human', 'model', 'terminal', 'import'] as const;
export type Editor = (typeof EDITORS)[number];

/** Lifecycle of a message's content: model answers stream in and can be stopped or fail. */
export const MESSAGE_STATUSES = ['complete', 'streaming', 'stopped', 'error'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface ToolCall {
  id: string;
  name: string;
  /** The raw argument text as the model produced it; may be invalid JSON when a stream was cut. */
  arguments: string;
}

export interface Conversation {
  id: string;
  title: string;
  description: string;
  startupScript: string;
  currentLeafId: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  forkedFromConversationId: string | null;
  forkedFromMessageId: string | null;
  /** Provider, model and sandbox choices; typed by later issues, stored as JSON. */
  settings: ConversationSettings;
  /** The account that made it; null when made without accounts (single-token mode, imports): the team's. */
  ownerAccountId: string | null;
  /** Who else sees it on a team server: `team` (default) or only its owner and admins (`private`). */
  visibility: 'private' | 'team';
}

export interface ConversationSettings {
  provider?: string;
  model?: string;
  baseUrl?: string;
  temperature?: number;
  maxOutputTokens?: number;
  workspace?: string;
  sandbox?: SandboxKind;
  network?: boolean;
  approvalPolicy?: ApprovalPolicy;
  /** What the sandbox may take of the machine; unset fields take DEFAULT_RESOURCE_LIMITS. */
  limits?: ResourceLimitsSetting;
  /**
   * Sent as the system message when the path holds none (issue 8 item 7); a new conversation starts with
   * the default prompt here, '' sends none. Unset (conversations made before it): none.
   */
  systemPrompt?: string;
  /** Summarise the oldest messages by itself when a turn would not fit the model's window (opt-in). */
  autoCompact?: boolean;
  /** Each run of it is recorded as a test run (issue 8 item 5); unset or '' for none. */
  testCommand?: string;
  /** Globs of test files for the test-edit guard (item 6); unset: the defaults per ecosystem. */
  testFilePatterns?: string[];
  /** Commit to the workspace's own git repository after each step (item 3). */
  autoCommit?: boolean;
}

export interface ConversationSummary {
  id: string;
  title: string;
  description: string;
  updatedAt: string;
  messageCount: number;
  ownerAccountId: string | null;
  visibility: 'private' | 'team';
}

export interface Message {
  id: string;
  conversationId: string;
  parentId: string | null;
  role: Role;
  author: Author;
  included: boolean;
  deleted: boolean;
  content: string;
  /** 1-based number of the current revision. */
  revision: number;
  createdAt: string;
  updatedAt: string;
  status: MessageStatus;
  /** Tokens of the current revision (o200k encoding; exact for current OpenAI models, an estimate elsewhere). */
  tokenCount: number;
  /** Where this message was copied or forked from, if anywhere. */
  sourceMessageId: string | null;
  toolCalls: ToolCall[];
  /** For role `tool`: the tool call this message answers. */
  toolCallId: string | null;
  modelCallId: string | null;
  /** Ids of this message and its siblings (same parent), oldest first; length 1 when there is no branch. */
  siblingIds: string[];
  /** A summary message: the messages it stands for (they stay on the path, unchecked); null otherwise. */
  summarizes?: string[] | null;
}

export interface Revision {
  id: string;
  messageId: string;
  number: number;
  content: string;
  editor: Editor;
  createdAt: string;
  /** The account that wrote it (team server; for a model's revision, who asked); null without accounts. */
  account: { id: string; username: string } | null;
}

/** Lifecycle of a model call (STYLE.md habit 5: written before it is shown). */
export const MODEL_CALL_STATUSES = ['running', 'completed', 'error', 'stopped'] as const;
export type ModelCallStatus = (typeof MODEL_CALL_STATUSES)[number];

/** One request to a model provider and what came back, kept exactly (minus credentials). */
export interface ModelCall {
  id: string;
  conversationId: string;
  /** The message this call produced, once there is one. */
  messageId: string | null;
  provider: string;
  model: string;
  baseUrl: string | null;
  /** The provider-native request body as sent, as JSON text. */
  request: string;
  /** The raw response body (or the raw stream, joined) as received. */
  response: string | null;
  /** What the stream assembled into, when the response was streamed. */
  assembled: string | null;
  /** The provider's own usage object, as it reported it. */
  usage: Record<string, unknown> | null;
  finishReason: string | null;
  status: ModelCallStatus;
  timeToFirstTokenMs: number | null;
  durationMs: number | null;
  error: string | null;
  createdAt: string;
  endedAt: string | null;
  /** The account that asked for it (team server); null in single-token mode. */
  accountId: string | null;
}
