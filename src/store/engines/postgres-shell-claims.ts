/**
 * Shell claims on a shared PostgreSQL database (core/shell-claims.ts): a session advisory lock per
 * conversation, held on this process's own connection (postgres-process-link.ts). PostgreSQL releases it when
 * that session ends, so a server that crashed or lost its database holds nothing, with no row to clean up.
 */
import { parseApplicationName } from '../../core/server-process.ts';
import { type ShellClaims, ShellElsewhereError } from '../../core/shell-claims.ts';
import type { PostgresProcessLink } from './postgres-process-link.ts';

/** The lock's name for a conversation's shell (hashed to a 64-bit key by hashtextextended). */
export function shellLockName(conversationId: string): string {
  return `mp-shell:${conversationId}`;
}

export class PostgresShellClaims implements ShellClaims {
  readonly #link: PostgresProcessLink;

  constructor(link: PostgresProcessLink) {
    this.#link = link;
  }

  async claim(conversationId: string): Promise<void> {
    const name = shellLockName(conversationId);
    // The holder may let go between the refusal and the look-up: then the claim is tried once more.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.#link.tryLock(name)) return;
      const holder = await this.#link.holder(name);
      if (holder !== null) throw new ShellElsewhereError(parseApplicationName(holder));
    }
    throw new ShellElsewhereError(null);
  }

  release(conversationId: string): Promise<void> {
    return this.#link.unlock(shellLockName(conversationId));
  }
}
