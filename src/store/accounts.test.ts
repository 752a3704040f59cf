import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/support/store-engines.ts';
import { ConflictError } from '../core/errors.ts';
import type { AccountSession } from './account-sessions.ts';
import { AccountNotFoundError } from './accounts.ts';
import type { Store } from './store.ts';

const HASH = 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g';

function session(accountId: string, id: string, at = '2026-12-01T10:00:00.000Z'): AccountSession {
  return {
    id,
    accountId,
    csrfToken: `csrf-${id}`,
    createdAt: at,
    expiresAt: '2026-12-02T10:00:00.000Z',
    lastUsedAt: at,
  };
}

async function alice(store: Store) {
  return store.accounts.add({ username: 'alice', role: 'member', passwordHash: HASH });
}

describeEachEngine('accounts', (engine) => {
  it('adds an account, finds its credentials by name, and lists it', async () => {
    const store = await engine.openStore();
    const account = await alice(store);
    expect(account).toMatchObject({ username: 'alice', role: 'member' });
    expect(await store.accounts.credentials('alice')).toEqual({ account, passwordHash: HASH });
    expect(await store.accounts.credentials('bob')).toBeUndefined();
    expect(await store.accounts.list()).toEqual([{ ...account, removedAt: null }]);
  });

  it('refuses a second account of the same name, and a removed one’s name, saying which', async () => {
    const store = await engine.openStore();
    await alice(store);
    await expect(alice(store)).rejects.toThrow(new ConflictError('there is already an account named alice'));
    await store.accounts.remove('alice');
    await expect(alice(store)).rejects.toThrow(/alice was an account removed on .*choose another/);
  });

  it('removes by tombstone: the row stays for what it did, its sessions end, it no longer signs in', async () => {
    const store = await engine.openStore();
    const account = await alice(store);
    await store.accountSessions.create(session(account.id, 's1'));
    await store.accountSessions.create(session(account.id, 's2'));
    expect(await store.accountSessions.find('s1')).toMatchObject({ account: { username: 'alice' } });

    await store.accounts.remove('alice');
    expect(await store.accounts.credentials('alice')).toBeUndefined();
    expect(await store.accountSessions.find('s1')).toBeUndefined();
    expect(await store.accountSessions.countFor(account.id)).toBe(0);
    const [listed] = await store.accounts.list();
    expect(listed?.removedAt).not.toBeNull();
    await expect(store.accounts.remove('alice')).rejects.toThrow(AccountNotFoundError);
  });

  it('refuses to delete an account row, in the database itself', async () => {
    const store = await engine.openStore();
    await alice(store);
    await expect(sql`DELETE FROM accounts`.execute(store.database.db)).rejects.toThrow(
      /accounts are tombstoned, never deleted/,
    );
    expect(await store.accounts.countLive()).toBe(1);
  });

  it('a new password ends the account’s sessions', async () => {
    const store = await engine.openStore();
    const account = await alice(store);
    await store.accountSessions.create(session(account.id, 's1'));
    await store.accounts.setPasswordHash('alice', `${HASH}x`);
    expect(await store.accountSessions.find('s1')).toBeUndefined();
    expect((await store.accounts.credentials('alice'))?.passwordHash).toBe(`${HASH}x`);
  });

  it('deletes sessions past their end or idle too long, and keeps the others', async () => {
    const store = await engine.openStore();
    const account = await alice(store);
    await store.accountSessions.create({
      ...session(account.id, 'ended'),
      expiresAt: '2026-12-01T11:00:00.000Z',
    });
    await store.accountSessions.create(session(account.id, 'idle', '2026-12-01T09:00:00.000Z'));
    await store.accountSessions.create(session(account.id, 'fresh', '2026-12-01T11:30:00.000Z'));
    const deleted = await store.accountSessions.deleteExpired({
      now: '2026-12-01T12:00:00.000Z',
      idleBefore: '2026-12-01T10:00:00.000Z',
    });
    expect(deleted).toBe(2);
    expect(await store.accountSessions.find('fresh')).toBeDefined();
    expect(await store.accountSessions.countFor(account.id)).toBe(1);
  });

  it('counts live accounts by role', async () => {
    const store = await engine.openStore();
    await alice(store);
    await store.accounts.add({ username: 'root', role: 'admin', passwordHash: HASH });
    expect(await store.accounts.countLive()).toBe(2);
    expect(await store.accounts.countLive('admin')).toBe(1);
    await store.accounts.remove('root');
    expect(await store.accounts.countLive('admin')).toBe(0);
  });
});
