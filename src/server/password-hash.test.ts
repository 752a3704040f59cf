import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, decoyHash, hashPassword, verifyPassword } from './password-hash.ts';

/** Small parameters keep the unit tests fast; one test uses the real ones. */
const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('are self-describing scrypt strings with a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery', FAST);
    const second = await hashPassword('correct horse battery', FAST);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct');
  });

  it('verify the right password and refuse a wrong one', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterz', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('use the default parameters (N=2^15, r=8, p=1: 32 MiB) unless told otherwise', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored.startsWith(`scrypt$${2 ** 15}$8$1$`)).toBe(true);
    expect(DEFAULT_SCRYPT).toEqual({ N: 32768, r: 8, p: 1 });
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
  });

  it('treat the same text in another Unicode form as the same password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait', FAST);
    expect(await verifyPassword('cafe\u0301 au lait', stored)).toBe(true);
  });

  it('never match a malformed or tampered stored value, nor one asking for absurd memory', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    for (const bad of [
      '',
      'plain',
      stored.replace('scrypt$', 'bcrypt$'),
      stored.replace('$1024$', '$1000$'),
      stored.replace('$1024$', `$${2 ** 24}$`),
      stored.split('$').slice(0, 5).join('$'),
    ]) {
      expect(await verifyPassword('correct horse battery', bad)).toBe(false);
    }
  });

  it('have a decoy that no password matches, for unknown usernames', async () => {
    const decoy = await decoyHash();
    expect(await decoyHash()).toBe(decoy);
    expect(await verifyPassword('correct horse battery', decoy)).toBe(false);
  });
});
