import { describe, expect, it } from 'vitest';
import type { Actor, Role } from './accounts.ts';
import {
  can,
  canSeeConversation,
  canShareConversation,
  PERMISSIONS,
  ROLES_BY_TRUST,
  refusal,
  roleNeeded,
  viewerAccountId,
} from './permissions.ts';

const as = (role: Role, id = `${role}-1`): Actor => ({
  kind: 'account',
  account: { id, role, username: id, createdAt: '2026-12-02T00:00:00.000Z' },
});
const local: Actor = { kind: 'local' };

describe('role rules', () => {
  it('lets a reviewer read, rate, tag and export, and nothing else', () => {
    const allowed = PERMISSIONS.filter((permission) => can(as('reviewer'), permission));
    expect(allowed).toEqual(['read', 'label']);
  });

  it('lets a member work in conversations but not manage settings or accounts', () => {
    for (const permission of ['write', 'configure', 'run', 'call-model'] as const) {
      expect(can(as('member'), permission), permission).toBe(true);
    }
    expect(can(as('member'), 'manage-settings')).toBe(false);
    expect(can(as('member'), 'run-on-host')).toBe(false);
    expect(can(as('member'), 'manage-accounts')).toBe(false);
  });

  it('gives each role everything the role before it has (admin ⊇ member ⊇ reviewer)', () => {
    for (const [index, role] of ROLES_BY_TRUST.entries()) {
      const lower = ROLES_BY_TRUST[index - 1];
      if (lower === undefined) continue;
      for (const permission of PERMISSIONS) {
        if (can(as(lower), permission)) expect(can(as(role), permission), `${role} ${permission}`).toBe(true);
      }
    }
  });

  it('treats the token mode person as an admin', () => {
    for (const permission of PERMISSIONS) expect(can(local, permission)).toBe(true);
  });

  it('names the role needed in a refusal, and refuses nothing allowed', () => {
    expect(refusal(as('member'), 'run')).toBeNull();
    expect(refusal(as('reviewer'), 'run')).toBe(
      'you are signed in as a reviewer; to propose, approve, reject, run or interrupt commands needs the member role (or admin)',
    );
    expect(refusal(as('member'), 'manage-accounts')).toMatch(/needs the admin role$/);
    expect(roleNeeded('read')).toBe('reviewer');
    expect(roleNeeded('configure')).toBe('member');
    expect(roleNeeded('manage-settings')).toBe('admin');
  });
});

describe('who sees a conversation', () => {
  const mine = { ownerAccountId: 'member-1', visibility: 'private' as const };
  const othersPrivate = { ownerAccountId: 'member-2', visibility: 'private' as const };
  const othersShared = { ownerAccountId: 'member-2', visibility: 'team' as const };
  const tokenMode = { ownerAccountId: null, visibility: 'private' as const };

  it('shows a member their own and the team’s, never another’s private one', () => {
    expect(canSeeConversation(as('member'), mine)).toBe(true);
    expect(canSeeConversation(as('member'), othersShared)).toBe(true);
    expect(canSeeConversation(as('member'), othersPrivate)).toBe(false);
    expect(canSeeConversation(as('reviewer'), othersPrivate)).toBe(false);
  });

  it('counts a conversation made without accounts as the team’s', () => {
    expect(canSeeConversation(as('reviewer'), tokenMode)).toBe(true);
  });

  it('shows an admin (and the token mode person) everything', () => {
    expect(canSeeConversation(as('admin'), othersPrivate)).toBe(true);
    expect(canSeeConversation(local, othersPrivate)).toBe(true);
    expect(viewerAccountId(as('admin'))).toBeNull();
    expect(viewerAccountId(local)).toBeNull();
    expect(viewerAccountId(as('reviewer'))).toBe('reviewer-1');
  });

  it('lets only the owner or an admin change who sees it', () => {
    expect(canShareConversation(as('member'), mine)).toBe(true);
    expect(canShareConversation(as('member'), othersShared)).toBe(false);
    expect(canShareConversation(as('admin'), othersShared)).toBe(true);
    expect(canShareConversation(as('member'), tokenMode)).toBe(false);
  });
});
