import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `DATA_DIR/port`: the port `mp serve` listens on, so `mp url` can print a link to the right instance when the
 * default port was taken and the server moved on. Not a secret (anyone can list listening ports). A team
 * server adds a second line, `team URL` (the address people open), so that `mp url` prints that address
 * instead of a sign-in link the server would refuse; `GET /api/health` stays as bare as it is.
 */
export function portFilePath(dataDir: string): string {
  return join(dataDir, 'port');
}

/** What a running server wrote down: its port, and on a team server the address people open. */
export interface ServerRecord {
  port: number;
  team?: { url: string };
}

export function writePortFile(dataDir: string, port: number, team?: { url: string }): void {
  const lines = [String(port), ...(team === undefined ? [] : [`team ${team.url}`])];
  writeFileSync(portFilePath(dataDir), `${lines.join('\n')}\n`, { mode: 0o600 });
}

/** Removes the file if it still names `port` (a newer instance may have written its own). */
export function removePortFile(dataDir: string, port: number): void {
  if (readPortFile(dataDir) === port) rmSync(portFilePath(dataDir), { force: true });
}

export function readPortFile(dataDir: string): number | undefined {
  return readServerRecord(dataDir)?.port;
}

export function readServerRecord(dataDir: string): ServerRecord | undefined {
  const path = portFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  const [first = '', second = ''] = readFileSync(path, 'utf8').split('\n');
  const port = Number(first.trim());
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) return undefined;
  const team = /^team (\S+)$/.exec(second.trim());
  return team === null ? { port } : { port, team: { url: team[1]! } };
}
