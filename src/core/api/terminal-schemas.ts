/**
 * API shapes for the terminal (issue 4): workspace and sandbox settings, proposals, executions.
 */
import { z } from 'zod';
import { APPROVAL_POLICIES } from '../approval-policy.ts';
import { LIMIT_NAMES, ResourceLimitsSchema } from '../resource-limits.ts';
import { COMMAND_STATUSES, SANDBOX_KINDS } from '../shell-session.ts';

/** Re-exported so the web UI names them from the one API module. */
export { APPROVAL_POLICIES, SANDBOX_KINDS as SANDBOXES };

const id = z.string().min(1).max(100);

/**
 * `proposed → approved | edited | rejected → queued → running → completed | failed | timed-out | interrupted`;
 * a queued one the person cancels ends `interrupted`, one the approval policy no longer approves when its turn
 * comes goes back to `proposed` with the reason.
 */
export const PROPOSAL_STATUSES = [
  'proposed',
  'approved',
  'edited',
  'rejected',
  'queued',
  'running',
  ...COMMAND_STATUSES,
] as const;
/**
 * `queued` waits for the conversation's shell (another command runs there); `cancelled` never started: a person
 * cancelled it in the queue, or the approval policy no longer approved it when its turn came.
 */
export const EXECUTION_STATUSES = ['queued', 'running', ...COMMAND_STATUSES, 'cancelled'] as const;

export const TerminalSettingsPatch = {
  workspace: z.string().trim().min(1).max(4096).optional(),
  sandbox: z.enum(SANDBOX_KINDS).optional(),
  network: z.boolean().optional(),
  approvalPolicy: z.enum(APPROVAL_POLICIES).optional(),
  /** Replaces the conversation's limits as a whole; what it leaves out takes the default. */
  limits: ResourceLimitsSchema.optional(),
  /** The conversation's test command (issue 8 item 5): each run of it is recorded as a test run; '' for none. */
  testCommand: z.string().trim().max(10_000).optional(),
  /** Globs of test files for the test-edit guard (item 6); unset takes the defaults per ecosystem. */
  testFilePatterns: z.array(z.string().trim().min(1).max(500)).max(200).optional(),
  /** Commit to the workspace's own git repository after each step (item 3, opt-in). */
  autoCommit: z.boolean().optional(),
};

/** A sandbox limit a command ran into (`LimitHit`): which, its value as a person reads it, the result's sentence. */
export const LimitHitSchema = z.object({
  limit: z.enum(LIMIT_NAMES),
  value: z.string(),
  message: z.string(),
});

/**
 * What a proposal asks for besides a command (issue 8 item 1): a file action on the workspace, with the
 * arguments in our API's camelCase (the model's tools spell them in snake_case: file-action-arguments.ts).
 */
export const PROPOSAL_KINDS = ['command', 'read_file', 'write_file', 'edit_file'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

const workspacePath = z.string().min(1).max(4096);
export const FileEditBlockSchema = z.strictObject({
  oldText: z.string().max(1_000_000),
  newText: z.string().max(1_000_000),
});
export const FileActionSchema = z.discriminatedUnion('tool', [
  z.strictObject({
    tool: z.literal('read_file'),
    path: workspacePath,
    startLine: z.number().int().positive().optional(),
    endLine: z.number().int().positive().optional(),
  }),
  z.strictObject({ tool: z.literal('write_file'), path: workspacePath, content: z.string().max(10_000_000) }),
  z.strictObject({
    tool: z.literal('edit_file'),
    path: workspacePath,
    edits: z.array(FileEditBlockSchema).min(1).max(200),
  }),
]);
export type FileAction = z.infer<typeof FileActionSchema>;

export const ExecutionSchema = z.object({
  id,
  conversationId: id,
  proposalId: id.nullable(),
  commandProposed: z.string().nullable(),
  commandRun: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  exitCode: z.number().int().nullable(),
  output: z.string(),
  outputTruncated: z.boolean(),
  durationMs: z.number().nullable(),
  sandbox: z.string(),
  cwd: z.string().nullable(),
  resultMessageId: id.nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** The sandbox limit it ran into, null when none (or it has not ended). */
  limitHit: LimitHitSchema.nullable(),
  /** `human` (a person ran it), or `policy:<name>` (the approval policy let it run by itself). */
  approvedBy: z.string().nullable(),
  /** The account that approved or typed it (team server); null in single-token mode. */
  accountId: id.nullable(),
  /** The file action as it was applied (a person may have changed it); null for a command. */
  actionRun: FileActionSchema.nullable(),
});
export type ExecutionDto = z.infer<typeof ExecutionSchema>;

export const ProposalSchema = z.object({
  id,
  conversationId: id,
  messageId: id,
  position: z.number().int(),
  toolCallId: z.string().nullable(),
  kind: z.enum(PROPOSAL_KINDS),
  /** For a command, the command; for a file action, a one-line summary of it (`edit_file src/a.ts`). */
  command: z.string(),
  /** A file action's arguments; null for a command. */
  action: FileActionSchema.nullable(),
  /** It changes a test file while the conversation's last test run failed (issue 8 item 6). */
  testEditWarning: z.boolean(),
  timeoutSeconds: z.number().int().nullable(),
  status: z.enum(PROPOSAL_STATUSES),
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** The account that approved, edited or rejected it (team server); null until decided or without accounts. */
  decidedByAccountId: id.nullable(),
  execution: ExecutionSchema.nullable(),
});
export type ProposalDto = z.infer<typeof ProposalSchema>;

export const ProposalListSchema = z.object({ proposals: z.array(ProposalSchema) });

/** `send`: call the model again once every command of the message is settled (default: when a model proposed it). */
export const RunProposalBody = z.strictObject({
  command: z.string().min(1).max(100_000).optional(),
  /** A file action as the person changed it before applying (same tool and path as proposed). */
  action: FileActionSchema.optional(),
  send: z.boolean().optional(),
});
export const RejectProposalBody = z.strictObject({
  reason: z.string().max(10_000).optional(),
  send: z.boolean().optional(),
});
export const ProposeBody = z.strictObject({ send: z.boolean().optional() });
export const RunCommandBody = z.strictObject({
  command: z.string().min(1).max(100_000),
  timeoutSeconds: z.number().int().positive().max(86_400).optional(),
});

/** Where a conversation's commands run, resolved: the folder and the sandbox its settings lead to. */
export const TerminalPlaceSchema = z.object({
  workspace: z.string(),
  /** The backend a command would use now; null when none works (then `problem` says why). */
  sandbox: z.enum(SANDBOX_KINDS).nullable(),
  /** True when the person chose it; false when it is the automatic choice. */
  sandboxChosen: z.boolean(),
  network: z.boolean(),
  problem: z.string().nullable(),
});
export type TerminalPlaceDto = z.infer<typeof TerminalPlaceSchema>;
