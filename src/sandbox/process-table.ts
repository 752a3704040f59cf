/**
 * Processes as /proc shows them, for finding every process of a shell session (its descendants, its
 * session id) when a command must be stopped. Linux only, like the sandboxes it serves.
 */
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessEntry {
  pid: number;
  /** One letter: R running, S sleeping, T stopped, Z zombie (ended, waiting for its parent)… */
  state: string;
  ppid: number;
  processGroup: number;
  session: number;
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
export function parseProcStat(stat: string): ProcessEntry | null {
  const open = stat.indexOf(' (');
  const close = stat.lastIndexOf(') ');
  if (open === -1 || close === -1) return null;
  const pid = Number(stat.slice(0, open));
  const [state, ...numbers] = stat.slice(close + 2).split(' ');
  const [ppid, processGroup, session] = numbers.map(Number);
  if (!Number.isInteger(pid) || state === undefined || ppid === undefined) return null;
  if (processGroup === undefined || session === undefined) return null;
  return { pid, state, ppid, processGroup, session };
}

export async function readProcessTable(): Promise<ProcessEntry[]> {
  const names = await readdir('/proc');
  const entries = await Promise.all(
    names
      .filter((name) => /^[0-9]+$/.test(name))
      // A process may end between readdir and readFile; it is then simply not in the table.
      .map((name) => readFile(`/proc/${name}/stat`, 'utf8').then(parseProcStat, () => null)),
  );
  return entries.filter((entry): entry is ProcessEntry => entry !== null);
}

/** `root`'s descendants (not `root` itself), parents before children. */
export function descendantsOf(table: readonly ProcessEntry[], root: number): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of table) {
    const siblings = children.get(entry.ppid);
    if (siblings === undefined) children.set(entry.ppid, [entry]);
    else siblings.push(entry);
  }
  const found: ProcessEntry[] = [];
  const queue = [root];
  const seen = new Set<number>([root]);
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    for (const child of children.get(parent) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** The pid the process has in its own pid namespace (the last NSpid field), or null if it is gone. */
export async function namespacePid(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const line = status.split('\n').find((candidate) => candidate.startsWith('NSpid:'));
    const last = line?.trim().split(/\s+/).at(-1);
    return last === undefined ? null : Number(last);
  } catch {
    return null;
  }
}

/**
 * Polls until `remaining()` finds nothing or `limitMs` has passed. Polling is the only way to learn that
 * processes which are not our children have ended.
 */
export async function waitUntilNone(remaining: () => Promise<number[]>, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  while ((await remaining()).length > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sends `signal` to each pid, ignoring ones that already ended. */
export function signalEach(pids: Iterable<number>, signal: NodeJS.Signals): number {
  let sent = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      sent += 1;
    } catch {
      // Gone already (ESRCH): that is what we wanted.
    }
  }
  return sent;
}
