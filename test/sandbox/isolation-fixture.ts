import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { ShellSession, ShellSessionOptions } from '../../src/core/shell-session.ts';
import { type Decoys, makeDecoys } from './decoys.ts';

type CreateSession = (options: ShellSessionOptions, dependencies: { realHome: string }) => ShellSession;

export interface IsolationFixture {
  /** Stand-ins for our config and database and the real home, with a secret in each. */
  readonly decoys: Decoys;
  /** A listener on the host that a sandbox without network must not reach. */
  readonly port: number;
  /** How many connections that listener has taken. */
  readonly connections: number;
  /** A session over the decoys' workspace that hides the decoy config and data dirs; closed after the file. */
  open(options?: Partial<ShellSessionOptions>): ShellSession;
}

/**
 * What every isolation test file needs, set up once per file (call inside `describe`): decoys, a host
 * listener on `listenHost`, and sessions of the backend under test that are all closed at the end.
 */
export function useIsolationFixture(
  name: string,
  create: CreateSession,
  listenHost: string,
): IsolationFixture {
  let decoys: Decoys | undefined;
  let server: Server | undefined;
  let port = 0;
  let connections = 0;
  const sessions: ShellSession[] = [];

  beforeAll(async () => {
    decoys = await makeDecoys(name);
    server = createServer((socket) => {
      connections += 1;
      socket.end('hello from the host\n');
    });
    await new Promise<void>((resolve) => server!.listen(0, listenHost, resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    if (server !== undefined) await new Promise((resolve) => server!.close(resolve));
    if (decoys !== undefined) await rm(decoys.root, { recursive: true, force: true });
  });

  return {
    get decoys() {
      if (decoys === undefined) throw new Error('the isolation fixture is used before beforeAll ran');
      return decoys;
    },
    get port() {
      return port;
    },
    get connections() {
      return connections;
    },
    open(options = {}) {
      const current = this.decoys;
      const session = create(
        { workspace: current.workspace, hiddenPaths: [current.configDir, current.dataDir], ...options },
        { realHome: current.home },
      );
      sessions.push(session);
      return session;
    },
  };
}
