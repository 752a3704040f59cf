/**
 * Issue 7 item 9: a conversation's shell unused for the idle time is closed, and its next command runs in a
 * new shell in the folder the last one was in, also when the server restarted in between (the folder comes
 * from the last execution stored). The clock is injected: nothing waits for time to pass.
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShellSessions, type ShellSessionsOptions } from '../src/agent/shell-sessions.ts';
import type { ConversationSettings } from '../src/core/domain.ts';
import { Store } from '../src/store/store.ts';
import { makeTempDir } from './support/temp-dir.ts';

let dir: ReturnType<typeof makeTempDir>;
let workspace: string;
let settings: ConversationSettings;
let now: number;
const open: ShellSessions[] = [];

function sessions(options: Pick<ShellSessionsOptions, 'lastCwd'> = {}) {
  const created = new ShellSessions({
    dataDir: join(dir.path, 'data'),
    configDir: join(dir.path, 'config'),
    home: join(dir.path, 'home'),
    backends: async () => [],
    idleMs: 1_000,
    now: () => now,
    ...options,
  });
  open.push(created);
  return created;
}

async function pwd(shells: ShellSessions, conversationId: string): Promise<string> {
  const { session } = await shells.get(conversationId, settings, '');
  return (await session.run('pwd')).output.trim();
}

beforeEach(() => {
  dir = makeTempDir('mp-idle-');
  workspace = realpathSync(dir.path);
  mkdirSync(join(workspace, 'project', 'src'), { recursive: true });
  mkdirSync(join(dir.path, 'home'));
  settings = { sandbox: 'host', workspace: join(workspace, 'project') };
  now = 0;
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((shells) => shells.closeAll()));
  dir.remove();
});

describe('idle shells', () => {
  it('are closed after the idle time and reopen in the folder they were in', async () => {
    const shells = sessions();
    const { session } = await shells.get('c1', settings, '');
    await session.run('cd src && export LEFT_BEHIND=1');

    now += 999;
    expect(await shells.closeIdle()).toEqual([]);
    now += 1;
    expect(await shells.closeIdle()).toEqual(['c1']);
    expect(shells.current('c1')).toBeUndefined();

    const reopened = await shells.get('c1', settings, '');
    expect(reopened.session).not.toBe(session);
    const result = await reopened.session.run('pwd; printenv LEFT_BEHIND || echo fresh');
    expect(result.output).toBe(`${join(workspace, 'project', 'src')}\nfresh\n`);
  });

  it('are not closed while a command runs, nor right after being handed out', async () => {
    const shells = sessions();
    const { session } = await shells.get('c1', settings, '');
    now += 5_000;
    const running = session.run('true');
    expect(await shells.closeIdle()).toEqual([]);
    await running;
    expect(await shells.closeIdle()).toEqual([]);
    now += 1_000;
    expect(await shells.closeIdle()).toEqual(['c1']);
  });

  it('reopen where the last stored execution left off after a restart, if that folder is in the workspace', async () => {
    const store = await Store.open(join(dir.path, 'data', 'mp.db'));
    try {
      const conversation = await store.conversations.create({ settings });
      const record = async (cwd: string) => {
        const execution = await store.executions.start({
          conversationId: conversation.id,
          proposalId: null,
          commandProposed: null,
          commandRun: 'cd somewhere',
          approvedBy: 'human',
          sandbox: 'host',
          cwd: settings.workspace!,
        });
        await store.executions.finish(execution.id, {
          status: 'completed',
          exitCode: 0,
          output: '',
          outputTruncated: false,
          outputBytes: 0,
          durationMs: 1,
          cwd,
          limitHit: null,
        });
      };
      const afterRestart = () => sessions({ lastCwd: (id) => store.executions.lastCwd(id) });

      await record(join(workspace, 'project', 'src'));
      expect(await pwd(afterRestart(), conversation.id)).toBe(join(workspace, 'project', 'src'));

      // A folder outside the workspace (or gone) is not returned to: the shell starts in the workspace.
      await record(workspace);
      expect(await pwd(afterRestart(), conversation.id)).toBe(join(workspace, 'project'));
      await record(join(workspace, 'project', 'removed'));
      expect(await pwd(afterRestart(), conversation.id)).toBe(join(workspace, 'project'));
    } finally {
      await store.close();
    }
  });
});
