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
  /** Who sees it on a team server (its owner or an admin may change it). */
  visibility?: 'private' | 'team';
}
