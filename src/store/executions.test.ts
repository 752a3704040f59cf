import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.ts';
import { limitHit, resolveResourceLimits } from '../core/resource-limits.ts';
import { openDatabase } from './open-database.ts';
import { Store } from './store.ts';

let dir: ReturnType<typeof makeTempDir>;
let path: string;
let store: Store;

beforeEach(() => {
  dir = makeTempDir('mp-executions-');
  path = join(dir.path, 'mp.db');
  store = Store.open(path);
});
afterEach(() => {
  store.close();
  dir.remove();
});

const ended = {
  status: 'completed' as const,
  exitCode: 153,
  output: 'bash: line 1: 7 File size limit exceeded\n',
  outputTruncated: false,
  outputBytes: 41,
  durationMs: 12,
  cwd: null,
};

function startedExecution() {
  const conversation = store.conversations.create({ title: 'Limits' });
  return store.executions.start({
    conversationId: conversation.id,
    proposalId: null,
    commandProposed: null,
    commandRun: 'head -c 3M /dev/zero > big.bin',
    approvedBy: 'human',
    sandbox: 'bwrap',
    cwd: null,
  });
}

describe('the limit an execution ran into', () => {
  it('is kept as data when it ends and read back after the database is reopened', () => {
    const hit = limitHit('file-size', resolveResourceLimits({ fileSizeMiB: 1 }));
    const execution = startedExecution();
    expect(execution.limitHit).toBeNull();

    expect(store.executions.finish(execution.id, { ...ended, limitHit: hit }).limitHit).toEqual(hit);
    store.close();
    store = Store.open(path);
    expect(store.executions.get(execution.id).limitHit).toEqual({
      limit: 'file-size',
      value: '1 MiB',
      message:
        "stopped: the sandbox's file size limit (1 MiB) was reached — raise limits.fileSizeMiB in the conversation's settings",
    });
  });

  it('is null for a command that hit none', () => {
    const execution = startedExecution();
    expect(store.executions.finish(execution.id, { ...ended, limitHit: null }).limitHit).toBeNull();
  });

  it('is null for executions written before the schema had it', () => {
    store.close();
    const olderPath = join(dir.path, 'older.db');
    const older = openDatabase(olderPath, { targetVersion: 5 });
    const at = new Date().toISOString();
    older
      .prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)')
      .run('c1', 'Before limits were kept', at, at);
    older
      .prepare(
        `INSERT INTO executions (id, conversation_id, command_run, status, exit_code, sandbox, started_at, ended_at)
         VALUES ('e1', 'c1', 'ls', 'completed', 0, 'bwrap', ?, ?)`,
      )
      .run(at, at);
    older.close();

    store = Store.open(olderPath);
    expect(store.executions.get('e1')).toMatchObject({ commandRun: 'ls', limitHit: null });
  });
});
