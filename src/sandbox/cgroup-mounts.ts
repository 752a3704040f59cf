/**
 * Where this machine's cgroup hierarchies are and where this process sits in them, read from
 * /proc/self/mountinfo and /proc/self/cgroup. A session's cgroup is made under our own cgroup (never at
 * the root), so whatever limits the server itself runs under (a container's, a systemd slice's) hold for
 * its sandboxes too.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The controllers a sandbox's limits use. */
export const LIMIT_CONTROLLERS = ['pids', 'memory', 'cpu'] as const;
export type LimitController = (typeof LIMIT_CONTROLLERS)[number];

export interface CgroupMount {
  /** Where it is mounted, e.g. /sys/fs/cgroup/memory. */
  mountPoint: string;
  /** The cgroup the mount shows as its root ("/" unless mounted from inside a cgroup namespace). */
  root: string;
  version: 1 | 2;
  /** v1: the controllers this hierarchy carries; v2: empty (read cgroup.controllers). */
  controllers: string[];
}

/** Mounts of type cgroup and cgroup2 in /proc/<pid>/mountinfo text. */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (before === undefined || after === undefined) continue;
    const fields = before.split(' ');
    const [fsType, , superOptions = ''] = after.split(' ');
    const root = fields[3];
    const mountPoint = fields[4];
    if (root === undefined || mountPoint === undefined) continue;
    if (fsType === 'cgroup2') mounts.push({ mountPoint, root, version: 2, controllers: [] });
    else if (fsType === 'cgroup') {
      const controllers = superOptions.split(',').filter((option) => !option.includes('='));
      mounts.push({ mountPoint, root, version: 1, controllers });
    }
  }
  return mounts;
}

export interface CgroupMembership {
  /** "" for the v2 line (`0::/path`), else the v1 hierarchy's controllers. */
  controllers: string[];
  path: string;
}

/** The lines of /proc/<pid>/cgroup. */
export function parseCgroupMembership(text: string): CgroupMembership[] {
  const memberships: CgroupMembership[] = [];
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (match === null) continue;
    const controllers = match[1] === '' ? [] : match[1]!.split(',');
    memberships.push({ controllers, path: match[2]! });
  }
  return memberships;
}

/** The folder of a cgroup `path` under a mount, or null when the mount does not show it. */
export function cgroupFolder(mount: CgroupMount, path: string): string | null {
  const root = mount.root === '/' ? '' : mount.root;
  if (root !== '' && path !== root && !path.startsWith(`${root}/`)) return null;
  return join(mount.mountPoint, path.slice(root.length));
}

export interface CgroupPlaces {
  /** v1: the folder of `pid`'s cgroup in each hierarchy carrying a controller we use. */
  v1: Partial<Record<LimitController, string>>;
  /** v2: the folder of `pid`'s cgroup in the unified hierarchy, if it is mounted. */
  v2: string | null;
}

/** Where process `pid` (this one by default) sits in each hierarchy that can carry a limit. */
export async function cgroupPlaces(pid: number | 'self' = 'self'): Promise<CgroupPlaces> {
  const [mountinfo, membership] = await Promise.all([
    readFile('/proc/self/mountinfo', 'utf8').catch(() => ''),
    readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => ''),
  ]);
  const mounts = parseCgroupMounts(mountinfo);
  const memberships = parseCgroupMembership(membership);
  const places: CgroupPlaces = { v1: {}, v2: null };
  for (const controller of LIMIT_CONTROLLERS) {
    const mount = mounts.find(
      (candidate) => candidate.version === 1 && candidate.controllers.includes(controller),
    );
    const member = memberships.find((candidate) => candidate.controllers.includes(controller));
    if (mount === undefined || member === undefined) continue;
    const folder = cgroupFolder(mount, member.path);
    if (folder !== null) places.v1[controller] = folder;
  }
  const unified = mounts.find((candidate) => candidate.version === 2);
  const unifiedMember = memberships.find((candidate) => candidate.controllers.length === 0);
  if (unified !== undefined && unifiedMember !== undefined)
    places.v2 = cgroupFolder(unified, unifiedMember.path);
  return places;
}
