/** What PATCH /api/conversations/:id takes for a conversation's model and terminal (issues 3 and 4). */
import type { APPROVAL_POLICIES, SANDBOXES } from '../../../src/core/api/terminal-schemas.ts';
import type { ResourceLimitsSetting } from '../../../src/core/resource-limits.ts';

export type Sandbox = (typeof SANDBOXES)[number];
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];

export interface ConversationSettingsPatch {
  provider?: string;
  model?: string;
  baseUrl?: string;
  temperature?: number;
  maxOutputTokens?: number;
  workspace?: string;
  sandbox?: Sandbox;
  network?: boolean;
  approvalPolicy?: ApprovalPolicy;
  /** Replaces the conversation's limits as a whole; what it leaves out takes the default (issue 7 item 6). */
  limits?: ResourceLimitsSetting;
  /** Not a setting but the conversation's own field; it is saved by the same PATCH. */
  startupScript?: string;
  /** Each run of it is recorded as a test run (issue 8 item 5); '' for none. */
  testCommand?: string;
  /** Commit to the workspace's own git repository after each step (issue 8 item 3). */
  autoCommit?: boolean;
  /** Sent first when the path holds no system message ('' for none; issue 8 item 7). */
  systemPrompt?: string;
  /** Summarise the oldest messages by itself when a turn would not fit the model's window. */
  autoCompact?: boolean;
  /** Who sees it on a team server (its owner or an admin may change it). */
  visibility?: 'private' | 'team';
}
