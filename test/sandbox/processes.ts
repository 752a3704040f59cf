import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of every process on the machine whose command line contains `text`. Processes in bwrap and docker
 * sandboxes share this kernel, so the host's /proc shows them too.
 */
export function processesMatching(text: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (commandLine.includes(text)) found.push(Number(name));
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

/** A number unlikely to appear in any other process's command line. */
export function uniqueSleepSeconds(): string {
  return `1000.${process.pid}${Math.floor(Math.random() * 1e6)}`;
}

/** Polls `condition` until it holds or `limitMs` passes; for observing processes, which send no events. */
export async function waitFor(condition: () => boolean, limitMs: number): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
