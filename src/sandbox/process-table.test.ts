import { describe, expect, it } from 'vitest';
import { descendantsOf, namespacePid, parseProcStat, readProcessTable } from './process-table.ts';

describe('parseProcStat', () => {
  it('reads pid, parent, group and session even when the command name has spaces and parentheses', () => {
    expect(parseProcStat('4242 (my (odd) name) S 4000 4100 4200 0 -1 4194560 ...')).toEqual({
      pid: 4242,
      state: 'S',
      ppid: 4000,
      processGroup: 4100,
      session: 4200,
    });
    expect(parseProcStat('garbage')).toBeNull();
  });
});

describe('descendantsOf', () => {
  it('walks children, grandchildren and so on, not the root or unrelated processes', () => {
    const table = [
      { pid: 1, ppid: 0 },
      { pid: 10, ppid: 1 },
      { pid: 11, ppid: 10 },
      { pid: 12, ppid: 11 },
      { pid: 13, ppid: 10 },
      { pid: 20, ppid: 1 },
    ].map((entry) => ({ ...entry, state: 'S', processGroup: entry.pid, session: entry.pid }));
    expect(descendantsOf(table, 10).map((entry) => entry.pid)).toEqual([11, 13, 12]);
    expect(descendantsOf(table, 12)).toEqual([]);
  });
});

describe('readProcessTable', () => {
  it('includes this process with its parent', async () => {
    const table = await readProcessTable();
    expect(table.find((entry) => entry.pid === process.pid)).toMatchObject({ ppid: process.ppid });
    expect(await namespacePid(process.pid)).toBeGreaterThan(0);
    expect(await namespacePid(2 ** 30)).toBeNull();
  });
});
