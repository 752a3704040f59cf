/**
 * What each role of a team server may do (issue 10 items 3 and 5), as one table and a few pure decisions.
 * Nothing here reads a request or the database: the server's hook asks `refusal` with the route's declared
 * permission (src/server/access.ts), and whoever reads a conversation asks `canSeeConversation` with its
 * owner and visibility.
 *
 * - `reviewer` reads the conversations shared with the team, rates, tags and exports; it changes nothing
 *   else: no message written, no command run or decided, no model called, no workspace or sandbox changed.
 * - `member` works in conversations: everything a reviewer may, plus writing, running commands, calling
 *   models and changing a conversation's workspace, sandbox and model settings.
 * - `admin` manages accounts, providers and settings, and may do everything a member may, in every
 *   conversation (private ones too). Only an admin may choose the host (no sandbox) for a conversation:
 *   commands there run as the server's user, who can read every account's workspace and the database, so
 *   choosing it is managing the server, not working in a conversation.
 *
 * The single-token mode's one person (`{kind: 'local'}`) is the machine's owner: an admin.
 */

import { type Actor, actorRole, type Role } from './accounts.ts';

/** The roles of a team server, least to most trusted (each may do everything the one before it may). */
export const ROLES_BY_TRUST: readonly Role[] = ['reviewer', 'member', 'admin'];

export const PERMISSIONS = [
  'read',
  'label',
  'write',
  'configure',
  'run',
  'call-model',
  'run-on-host',
  'manage-settings',
  'manage-accounts',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What each permission allows, as a refusal names it ("… needs the member role to run commands"). */
export const PERMISSION_DESCRIPTIONS: Readonly<Record<Permission, string>> = {
  read: 'read conversations, their messages, commands and model calls',
  label: 'rate, tag and export',
  write: 'write, edit, delete, copy or fork messages and conversations',
  configure: "change a conversation's workspace, sandbox, network, limits or model settings",
  run: 'propose, approve, reject, run or interrupt commands',
  'call-model': 'send a conversation to a model or stop a model call',
  'run-on-host': "run a conversation's commands on the host, outside any sandbox",
  'manage-settings': 'read or change providers and settings',
  'manage-accounts': 'add, change or remove accounts',
};

/** The one table: every permission of every role. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  reviewer: ['read', 'label'],
  member: ['read', 'label', 'write', 'configure', 'run', 'call-model'],
  admin: PERMISSIONS,
};

/** The role an actor acts with; the local person of single-token mode is an admin. */
export function roleOf(actor: Actor): Role {
  return actorRole(actor);
}

/**
 * @example
 * can({ kind: 'account', account: { id: 'a1', role: 'reviewer' } }, 'run') // false
 * can({ kind: 'local' }, 'manage-accounts') // true
 */
export function can(actor: Actor, permission: Permission): boolean {
  return ROLE_PERMISSIONS[roleOf(actor)].includes(permission);
}

/** The least trusted role that has `permission`, named in a refusal. */
export function roleNeeded(permission: Permission): Role {
  return ROLES_BY_TRUST.find((role) => ROLE_PERMISSIONS[role].includes(permission)) ?? 'admin';
}

/**
 * Null when the actor may; else the refusal's text, naming the role needed.
 *
 * @example
 * refusal({ kind: 'account', account: { id: 'a1', role: 'reviewer' } }, 'run')
 * // 'you are signed in as a reviewer; to propose, approve, reject, run or interrupt commands needs the member role (or admin)'
 */
export function refusal(actor: Actor, permission: Permission): string | null {
  if (can(actor, permission)) return null;
  const needed = roleNeeded(permission);
  const also = needed === 'admin' ? '' : ' (or admin)';
  return (
    `you are signed in as ${article(roleOf(actor))}; to ${PERMISSION_DESCRIPTIONS[permission]} needs ` +
    `the ${needed} role${also}`
  );
}

/** Who sees a conversation besides its owner. */
export const VISIBILITIES = ['private', 'team'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** What deciding who sees a conversation needs of it. */
export interface ConversationAccess {
  /** The account that made it; null when made without accounts (token mode, imports), which is the team's. */
  ownerAccountId: string | null;
  visibility: Visibility;
}

/**
 * Admins see every conversation; anyone else sees their own and those shared with the team. One made
 * without accounts (owner null) is the team's whatever its visibility says.
 */
export function canSeeConversation(actor: Actor, conversation: ConversationAccess): boolean {
  if (roleOf(actor) === 'admin') return true;
  if (conversation.ownerAccountId === null || conversation.visibility === 'team') return true;
  return actor.kind === 'account' && conversation.ownerAccountId === actor.account.id;
}

/** Who may change who sees it: its owner, or an admin. */
export function canShareConversation(actor: Actor, conversation: ConversationAccess): boolean {
  if (roleOf(actor) === 'admin') return true;
  return actor.kind === 'account' && conversation.ownerAccountId === actor.account.id;
}

/**
 * The account whose own folder a workspace the actor chooses must lie in (workspace-rules.ts's
 * judgeAccountWorkspace): a team server's member or reviewer; null for an admin and token mode.
 */
export function workspaceConfinement(actor: Actor): string | null {
  return viewerAccountId(actor);
}

/**
 * The filter a listing query applies (conversation list, search): null when the actor sees every
 * conversation (an admin), else the account whose own private conversations show besides the team's.
 */
export function viewerAccountId(actor: Actor): string | null {
  return actor.kind === 'account' && actor.account.role !== 'admin' ? actor.account.id : null;
}

function article(role: Role): string {
  return role === 'admin' ? 'an admin' : `a ${role}`;
}
