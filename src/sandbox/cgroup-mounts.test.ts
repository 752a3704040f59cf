import { describe, expect, it } from 'vitest';
import { cgroupFolder, parseCgroupMembership, parseCgroupMounts } from './cgroup-mounts.ts';

const MOUNTINFO = [
  '30 25 0:26 / /sys/fs/cgroup rw,nosuid - tmpfs tmpfs rw,mode=755',
  '31 30 0:27 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu',
  '32 30 0:28 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '33 30 0:29 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '34 30 0:30 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd',
  '35 30 0:31 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('cgroup mounts', () => {
  it('finds v1 hierarchies with their controllers and the v2 mount', () => {
    const mounts = parseCgroupMounts(MOUNTINFO);
    expect(mounts.map((mount) => [mount.mountPoint, mount.version, mount.controllers])).toEqual([
      ['/sys/fs/cgroup/cpu', 1, ['rw', 'cpu']],
      ['/sys/fs/cgroup/memory', 1, ['rw', 'memory']],
      ['/sys/fs/cgroup/pids', 1, ['rw', 'pids']],
      ['/sys/fs/cgroup/systemd', 1, ['rw', 'xattr']],
      ['/sys/fs/cgroup/unified', 2, []],
    ]);
  });

  it('reads a process’s membership, v1 lines and the v2 line apart', () => {
    expect(
      parseCgroupMembership('8:pids:/\n4:memory:/process_api/b6\n1:cpu,cpuacct:/a\n0::/user.slice\n'),
    ).toEqual([
      { controllers: ['pids'], path: '/' },
      { controllers: ['memory'], path: '/process_api/b6' },
      { controllers: ['cpu', 'cpuacct'], path: '/a' },
      { controllers: [], path: '/user.slice' },
    ]);
  });

  it('places a cgroup under its mount, also when the mount shows a cgroup namespace’s root', () => {
    const mount = { mountPoint: '/sys/fs/cgroup', root: '/', version: 2 as const, controllers: [] };
    expect(cgroupFolder(mount, '/user.slice/mp')).toBe('/sys/fs/cgroup/user.slice/mp');
    const nested = { ...mount, root: '/docker/abc' };
    expect(cgroupFolder(nested, '/docker/abc/x')).toBe('/sys/fs/cgroup/x');
    expect(cgroupFolder(nested, '/elsewhere')).toBeNull();
  });
});
