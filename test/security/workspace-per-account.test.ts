/**
 * On a team server each account's workspaces live under its own folder (issue 10 item 5), and the sandbox's
 * workspace rules apply per account: a member cannot point a conversation at another account's folder, nor
 * outside their own, whether written plainly, through `..`, or through a symlink inside their own folder
 * (the path is resolved before it is judged, as for every workspace). Real folders in a temporary tree,
 * a fake home; admins and token mode are not confined.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkspaceRefusedError } from '../../src/core/errors.ts';
import { resolveWorkspace, type WorkspacePlaces } from '../../src/sandbox/workspace-resolve.ts';

const root = mkdtempSync(join(tmpdir(), 'mp-account-workspaces-'));
const dataDir = join(root, 'data');
const accountsRoot = join(dataDir, 'workspaces', 'accounts');
const mine = join(accountsRoot, 'account-1');
const theirs = join(accountsRoot, 'account-2');
mkdirSync(join(mine, 'project'), { recursive: true });
mkdirSync(join(theirs, 'secret-project'), { recursive: true });
mkdirSync(join(root, 'home', 'projects', 'x'), { recursive: true });
symlinkSync(join(theirs, 'secret-project'), join(mine, 'link-to-theirs'));
symlinkSync(join(root, 'home', 'projects', 'x'), join(mine, 'link-outside'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

const places = (account?: WorkspacePlaces['account']): WorkspacePlaces => ({
  home: join(root, 'home'),
  protectedDirs: [{ path: dataDir, what: 'our data dir' }],
  workspaceRoots: [join(dataDir, 'workspaces')],
  mounts: [],
  ...(account === undefined ? {} : { account }),
});
const asMember = places({ accountsRoot, own: mine });

function refusal(workspace: string, given: WorkspacePlaces): string {
  try {
    resolveWorkspace(workspace, given);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(WorkspaceRefusedError);
    return (error as Error).message;
  }
}

describe('workspaces per account', () => {
  it('accepts a folder inside the member’s own', () => {
    expect(resolveWorkspace(join(mine, 'project'), asMember)).toBe(join(mine, 'project'));
  });

  it('refuses another account’s folder, written plainly or through ..', () => {
    expect(refusal(join(theirs, 'secret-project'), asMember)).toMatch(/another account’s workspace folder/);
    expect(refusal(`${mine}/../account-2`, asMember)).toMatch(/another account’s workspace folder/);
  });

  it('refuses a symlink in the member’s own folder that leads to another account’s or outside', () => {
    expect(refusal(join(mine, 'link-to-theirs'), asMember)).toMatch(
      /link-to-theirs → .*account-2\/secret-project is in another account’s workspace folder/,
    );
    expect(refusal(join(mine, 'link-outside'), asMember)).toMatch(/outside your workspace folder/);
  });

  it('refuses a folder outside every account’s, which the rules alone would accept', () => {
    const outside = join(root, 'home', 'projects', 'x');
    expect(resolveWorkspace(outside, places())).toBe(outside);
    expect(refusal(outside, asMember)).toMatch(/outside your workspace folder on this team server/);
  });

  it('leaves an admin (no account roots given) under the machine-wide rules only', () => {
    expect(resolveWorkspace(join(theirs, 'secret-project'), places())).toBe(join(theirs, 'secret-project'));
  });
});
