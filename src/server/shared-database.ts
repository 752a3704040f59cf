/**
 * What a server process needs to share a PostgreSQL database with others (issue 10 item 4), wired in one
 * place: its own connection (store/engines/postgres-process-link.ts) holding the lock that says it is alive,
 * the live-event relay on that connection's channel, and the claims on conversations' shells.
 */
import type { EventBus } from '../core/event-bus.ts';
import { applicationNameOf, type ServerProcess } from '../core/server-process.ts';
import type { ShellClaims } from '../core/shell-claims.ts';
import type { PostgresLocation } from '../store/engines/database-url.ts';
import { PostgresProcessLink } from '../store/engines/postgres-process-link.ts';
import { PostgresShellClaims, shellLockName } from '../store/engines/postgres-shell-claims.ts';
import { processLockName } from '../store/process-liveness.ts';
import { LiveEventRelay } from './live-event-relay.ts';

/** The channel every process of one database notifies and listens on. */
export const LIVE_EVENTS_CHANNEL = 'mp_live_events';

export interface SharedDatabase {
  readonly claims: ShellClaims;
  readonly relay: LiveEventRelay;
  readonly link: PostgresProcessLink;
  /** The HTTP port is known: other processes' refusals name it. */
  listening(port: number): Promise<void>;
  /** Told which conversations' shell claims were lost while the connection was down (to close those shells). */
  onShellsLost(listener: (conversationIds: string[]) => void): void;
  close(): Promise<void>;
}

export async function joinSharedDatabase(options: {
  location: PostgresLocation;
  events: EventBus;
  process: ServerProcess;
  log?: (message: string) => void;
  reconnectMs?: { first: number; max: number };
}): Promise<SharedDatabase> {
  const { process } = options;
  const log = options.log ?? ((message: string) => console.error(message));
  let relay: LiveEventRelay | undefined;
  let shellsLost: (conversationIds: string[]) => void = () => {};
  const link = await PostgresProcessLink.open({
    location: options.location,
    applicationName: applicationNameOf(process),
    channel: LIVE_EVENTS_CHANNEL,
    ...(options.reconnectMs === undefined ? {} : { reconnectMs: options.reconnectMs }),
    onNotification: (payload) => relay?.receive(payload),
    onReconnected: (lost) => {
      log('the connection to PostgreSQL for live events and shell claims is back');
      relay?.reconnected();
      if (lost.includes(processLockName(process.id))) void retakeProcessLock();
      const shells = lost.filter((name) => name.startsWith(shellLockName('')));
      if (shells.length > 0) shellsLost(shells.map((name) => name.slice(shellLockName('').length)));
    },
    onError: (error) =>
      log(`the connection to PostgreSQL for live events and shell claims: ${error.message}`),
  });
  // Another process's start-up recovery tries this lock for a moment to learn whether this process is alive:
  // taken back after a drop, when that moment is over.
  const retakeProcessLock = async () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      if (await link.tryLock(processLockName(process.id)).catch(() => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    log('could not take back the lock that tells other server processes this one is alive');
  };
  if (!(await link.tryLock(processLockName(process.id)))) {
    await link.close();
    throw new Error(`the server process id ${process.id} is in use by another session`);
  }
  relay = new LiveEventRelay({
    events: options.events,
    channel: link,
    origin: process.id,
    onError: (error) => log(`live events could not be sent to the other server processes: ${String(error)}`),
  });
  const claims = new PostgresShellClaims(link);
  return {
    claims,
    relay,
    link,
    listening: (port) => link.setApplicationName(applicationNameOf({ ...process, port })),
    onShellsLost: (listener) => {
      shellsLost = listener;
    },
    close: async () => {
      relay?.close();
      await relay?.whenSent();
      await link.close();
    },
  };
}
