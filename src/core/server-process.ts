/**
 * Which server process is which, when several share one PostgreSQL database (issue 10 item 4). Each has an
 * id of its own for its life (written on the work it runs, carried on the live events it relays), and shows
 * its host, pid and HTTP port to the others through its connection's `application_name`, so a refusal can
 * say where a conversation's shell runs.
 */
import { newId } from './ids.ts';

export interface ServerProcess {
  /** `HOST:PID:UUID`: unique across machines and restarts, and readable in the database. */
  id: string;
  host: string;
  pid: number;
  /** The HTTP port, once the server listens. */
  port?: number;
}

/** PostgreSQL keeps at most 63 bytes of an application name and turns other than printable ASCII into `?`. */
const APPLICATION_NAME_BYTES = 63;

export function newServerProcess(host: string, pid: number): ServerProcess {
  return { id: `${host}:${pid}:${newId()}`, host, pid };
}

/**
 * The process as its database connection names it: pid and port first, since a long host name is what
 * PostgreSQL cuts.
 *
 * @example
 * applicationNameOf({ id: '…', host: 'lab-1', pid: 4242, port: 7878 }) // 'mp pid 4242 port 7878 on lab-1'
 */
export function applicationNameOf(process: ServerProcess): string {
  const port = process.port === undefined ? '' : ` port ${process.port}`;
  const host = process.host.replace(/[^\x20-\x7e]/g, '?');
  return `mp pid ${process.pid}${port} on ${host}`.slice(0, APPLICATION_NAME_BYTES);
}

/** What an application name says about the process behind it, or null when it is not one of ours. */
export function parseApplicationName(name: string): Pick<ServerProcess, 'host' | 'pid' | 'port'> | null {
  const match = /^mp pid (\d+)(?: port (\d+))? on (.*)$/.exec(name);
  if (match === null) return null;
  const [, pid, port, host] = match;
  return { pid: Number(pid), host: host ?? '', ...(port === undefined ? {} : { port: Number(port) }) };
}
