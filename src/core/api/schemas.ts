/**
 * The HTTP API's bodies and answers: one zod schema each, shared by the server (validation, OpenAPI), the web
 * UI (typed client) and the tests. Later issues add to this module rather than redefining shapes elsewhere.
 */
import { z } from 'zod';
import { APPROVAL_POLICIES } from '../approval-policy.ts';
import { EDITORS, MESSAGE_STATUSES, ROLES } from '../domain.ts';
import { VISIBILITIES } from '../permissions.ts';
import { ResourceLimitsSchema } from '../resource-limits.ts';
import { SANDBOX_KINDS } from '../shell-session.ts';
import { ModelSettingsPatch } from './model-schemas.ts';
import { TerminalSettingsPatch } from './terminal-schemas.ts';

const id = z.string().min(1).max(100);
const timestamp = z.string();

export const RoleSchema = z.enum(ROLES);
export const AuthorSchema = z.string().trim().min(1).max(100);

export const ToolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.string() });

export const MessageSchema = z.object({
  id,
  conversationId: id,
  parentId: id.nullable(),
  role: RoleSchema,
  author: z.string(),
  included: z.boolean(),
  deleted: z.boolean(),
  content: z.string(),
  revision: z.number().int().positive(),
  createdAt: timestamp,
  updatedAt: timestamp,
  status: z.enum(MESSAGE_STATUSES),
  tokenCount: z.number().int().nonnegative(),
  sourceMessageId: id.nullable(),
  toolCalls: z.array(ToolCallSchema),
  toolCallId: z.string().nullable(),
  modelCallId: id.nullable(),
  siblingIds: z.array(id),
  /** A summary message: the messages it stands for, which stay on the path unchecked (issue 8 item 7). */
  summarizes: z.array(id).nullable().optional(),
});
export type MessageDto = z.infer<typeof MessageSchema>;

/** Who sees a conversation on a team server besides its owner and the admins (docs/team.md). */
export const VisibilitySchema = z.enum(VISIBILITIES);

export const ConversationSummarySchema = z.object({
  id,
  title: z.string(),
  description: z.string(),
  updatedAt: timestamp,
  messageCount: z.number().int().nonnegative(),
  /** The account that made it; null when made without accounts (then it is the team's). */
  ownerAccountId: id.nullable(),
  visibility: VisibilitySchema,
});

export const ConversationSettingsSchema = z.object({
  provider: z.string().optional(),
  model: z.string().optional(),
  baseUrl: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  workspace: z.string().optional(),
  sandbox: z.enum(SANDBOX_KINDS).optional(),
  network: z.boolean().optional(),
  approvalPolicy: z.enum(APPROVAL_POLICIES).optional(),
  limits: ResourceLimitsSchema.optional(),
  systemPrompt: z.string().optional(),
  autoCompact: z.boolean().optional(),
  testCommand: z.string().optional(),
  testFilePatterns: z.array(z.string()).optional(),
  autoCommit: z.boolean().optional(),
});

export const ConversationSchema = z.object({
  id,
  title: z.string(),
  description: z.string(),
  startupScript: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  currentLeafId: id.nullable(),
  forkedFromConversationId: id.nullable(),
  forkedFromMessageId: id.nullable(),
  settings: ConversationSettingsSchema,
  /** The account that made it; null when made without accounts (then it is the team's). */
  ownerAccountId: id.nullable(),
  visibility: VisibilitySchema,
});

/**
 * Totals along the whole current path, counted by the server: the page holds only a window of the path, so
 * it shows these rather than sums of what it has loaded (issue 7 item 9).
 */
export const PathStatsSchema = z.object({
  /** Live messages on the path. */
  messages: z.number().int().nonnegative(),
  /** Tombstoned messages on the path (shown only with includeDeleted). */
  deleted: z.number().int().nonnegative(),
  /** Live messages sent to the model, and their stored token counts. */
  included: z.number().int().nonnegative(),
  includedTokens: z.number().int().nonnegative(),
});
export type PathStatsDto = z.infer<typeof PathStatsSchema>;

/** A window of the current path: the newest messages (oldest first), whether more lie above, and totals. */
export const MessageWindowSchema = z.object({
  messages: z.array(MessageSchema),
  hasOlder: z.boolean(),
  pathStats: PathStatsSchema,
});
export type MessageWindowDto = z.infer<typeof MessageWindowSchema>;

/** Windows are capped so one request stays small; older ones are fetched with `before`. */
export const MAX_WINDOW = 500;
export const DEFAULT_WINDOW = 50;

export const MessageWindowQuery = z.object({
  /** The oldest message the page holds: the window ends just above it. */
  before: id.optional(),
  /** Also load every message from the window's end up to this one (jumping to an old message). */
  through: id.optional(),
  limit: z.coerce.number().int().min(0).max(MAX_WINDOW).optional(),
  includeDeleted: z.enum(['true', 'false']).optional(),
});

export const ConversationWithMessagesSchema = ConversationSchema.extend(MessageWindowSchema.shape);
export type ConversationDto = z.infer<typeof ConversationWithMessagesSchema>;

export const ConversationListSchema = z.object({ conversations: z.array(ConversationSummarySchema) });

const title = z.string().max(500);
const description = z.string().max(20_000);

/** The system prompt a conversation sends when its path holds no system message ('' for none). */
const systemPrompt = z.string().max(200_000);

export const CreateConversationBody = z.strictObject({
  title: title.optional(),
  description: description.optional(),
  /** Left out: the built-in default prompt (src/core/context/default-system-prompt.ts). */
  systemPrompt: systemPrompt.optional(),
});

export const UpdateConversationBody = z
  .strictObject({
    title: title.optional(),
    description: description.optional(),
    startupScript: z.string().max(100_000).optional(),
    /** Only its owner or an admin may change it. */
    visibility: VisibilitySchema.optional(),
    ...ModelSettingsPatch,
    ...TerminalSettingsPatch,
    systemPrompt: systemPrompt.optional(),
    /** Summarise the oldest messages by itself when a turn would not fit (issue 8 item 7). */
    autoCompact: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change: give at least one field' });

/** Message content is capped so one request cannot exhaust memory; command output is cut long before this. */
const content = z.string().max(5_000_000);

/**
 * A tool call a person writes while playing the model (issue 8 item 2): stored like a model's, with an id of
 * its own, and proposed like one. `arguments` is the tool's argument object as a model would send it.
 */
export const WrittenToolCallSchema = z.strictObject({
  name: z.enum(['run_command', 'read_file', 'write_file', 'edit_file']),
  arguments: z.record(z.string(), z.unknown()),
});

export const CreateMessageBody = z
  .strictObject({
    role: RoleSchema,
    author: AuthorSchema.optional(),
    content,
    included: z.boolean().optional(),
    parentId: id.nullable().optional(),
    /** Call the model after adding the message (the composer's "send to model" checkbox). */
    send: z.boolean().optional(),
    /** Only on an assistant message. */
    toolCalls: z.array(WrittenToolCallSchema).min(1).max(20).optional(),
  })
  .refine((body) => body.toolCalls === undefined || body.role === 'assistant', {
    message: 'only an assistant message carries tool calls',
    path: ['toolCalls'],
  });

export const UpdateMessageBody = z
  .strictObject({ content: content.optional(), included: z.boolean().optional() })
  .refine((body) => body.content !== undefined || body.included !== undefined, {
    message: 'give content (to add a revision) or included (to toggle inclusion)',
  });

/** An account as actions name it: who edited a revision, who approved a command. */
export const AccountRefSchema = z.object({ id, username: z.string() });

export const RevisionSchema = z.object({
  id,
  number: z.number().int().positive(),
  content: z.string(),
  editor: z.enum(EDITORS),
  createdAt: timestamp,
  /** The account that wrote it (team server; a model's revision: who asked); null without accounts. */
  account: AccountRefSchema.nullable(),
});
export const RevisionListSchema = z.object({ revisions: z.array(RevisionSchema) });

export const ForkBody = z.strictObject({ messageId: id });
export const CopyMessagesBody = z.strictObject({
  messageIds: z.array(id).min(1).max(10_000),
  parentId: id.nullable().optional(),
});
export const MessageIdsBody = z.strictObject({ messageIds: z.array(id).min(1).max(10_000) });
export const SelectBranchBody = z.strictObject({ messageId: id });

export const SearchQuery = z.object({ q: z.string().trim().min(1).max(500) });
export const SearchResultSchema = z.object({
  conversations: z.array(ConversationSummarySchema),
  messages: z.array(
    z.object({
      id,
      conversationId: id,
      conversationTitle: z.string(),
      role: RoleSchema,
      author: z.string(),
      snippet: z.string(),
    }),
  ),
});

export const MessageListSchema = z.object({ messages: z.array(MessageSchema) });

export const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
export type ApiError = z.infer<typeof ErrorSchema>['error'];

export const HealthSchema = z.object({ ok: z.literal(true), version: z.string() });
