/**
 * Issue 10 item 4: a conversation's shell claim (core/shell-claims.ts) is taken before a command joins its
 * queue and kept while a command is reserved or the shell is open; it is given up when the shell closes
 * (idle, on purpose, at shutdown) and nothing else of the conversation needs it. A claim another process
 * holds refuses the command and keeps nothing. The clock is injected: nothing waits for time to pass.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.ts';
import { type ShellClaims, ShellElsewhereError } from '../core/shell-claims.ts';
import { ShellSessions } from './shell-sessions.ts';

let dir: ReturnType<typeof makeTempDir>;
let now: number;
let calls: string[];
let shells: ShellSessions;
const settings = { sandbox: 'host' as const };

/** Claims as the database would answer them: `elsewhere` is held by another process. */
function recordingClaims(elsewhere: Set<string>): ShellClaims {
  return {
    claim: async (conversationId) => {
      calls.push(`claim ${conversationId}`);
      if (elsewhere.has(conversationId))
        throw new ShellElsewhereError({ host: 'lab-2', pid: 42, port: 7878 });
    },
    release: async (conversationId) => {
      calls.push(`release ${conversationId}`);
    },
  };
}

beforeEach(() => {
  dir = makeTempDir('mp-claims-');
  mkdirSync(join(dir.path, 'home'));
  now = 0;
  calls = [];
  shells = new ShellSessions({
    dataDir: join(dir.path, 'data'),
    configDir: join(dir.path, 'config'),
    home: join(dir.path, 'home'),
    backends: async () => [],
    idleMs: 1_000,
    now: () => now,
    claims: recordingClaims(new Set(['theirs'])),
  });
});
afterEach(async () => {
  await shells.closeAll();
  dir.remove();
});

describe("a conversation's shell claim", () => {
  it('is kept while the shell is open, and given up when it closes for idleness', async () => {
    await shells.reserve('c1');
    const { session } = await shells.get('c1', settings, '');
    await session.run('true');
    shells.unreserve('c1');
    expect(calls).toEqual(['claim c1']);

    now += 1_000;
    expect(await shells.closeIdle()).toEqual(['c1']);
    expect(calls).toEqual(['claim c1', 'release c1']);
  });

  it('is kept while a command is still reserved, even when the shell closes', async () => {
    await shells.reserve('c1');
    await shells.reserve('c1');
    await shells.get('c1', settings, '');
    await shells.closeShell('c1');
    shells.unreserve('c1');
    expect(calls).toEqual(['claim c1', 'claim c1']);
    shells.unreserve('c1');
    expect(calls).toEqual(['claim c1', 'claim c1', 'release c1']);
  });

  it('is given up at shutdown', async () => {
    await shells.reserve('c1');
    await shells.get('c1', settings, '');
    shells.unreserve('c1');
    await shells.closeAll();
    expect(calls).toEqual(['claim c1', 'release c1']);
  });

  it('refuses a command of a conversation whose shell runs in another process, and keeps nothing', async () => {
    await expect(shells.reserve('theirs')).rejects.toThrow(
      "this conversation's shell runs in the server at lab-2 (pid 42, port 7878); open the conversation there, or stop that server",
    );
    await shells.closeAll();
    expect(calls).toEqual(['claim theirs']);
  });
});
