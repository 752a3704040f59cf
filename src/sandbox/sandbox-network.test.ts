import { describe, expect, it } from 'vitest';
import {
  bwrapNetworkArguments,
  describeNetworkTool,
  pastaArguments,
  sandboxResolvConf,
  slirp4netnsArguments,
} from './sandbox-network.ts';

describe('sandbox network helpers', () => {
  it('never forward the host loopback: slirp4netns refuses it, pasta forwards no port and maps no gateway', () => {
    expect(slirp4netnsArguments(42)).toEqual(
      expect.arrayContaining(['--disable-host-loopback', '--userns-path=/proc/42/ns/user', '42', 'tap0']),
    );
    const pasta = pastaArguments({ pid: 42, pidFile: '/run/x', uid: 1000, gid: 1000 }).join(' ');
    for (const flag of [
      '--tcp-ns none',
      '--udp-ns none',
      '--tcp-ports none',
      '--udp-ports none',
      '--no-map-gw',
    ]) {
      expect(pasta).toContain(flag);
    }
    expect(pasta).toContain('--netns /proc/42/ns/net');
    expect(pasta).not.toContain('--runas');
    expect(pastaArguments({ pid: 42, pidFile: '/run/x', uid: 0, gid: 0 })).toContain('--runas');
  });

  it('gives bwrap the handshake fds and a resolv.conf naming the helper’s resolver', () => {
    expect(bwrapNetworkArguments()).toEqual([
      '--info-fd',
      '3',
      '--block-fd',
      '4',
      '--ro-bind-data',
      '5',
      '/etc/resolv.conf',
    ]);
    expect(sandboxResolvConf('slirp4netns')).toBe('nameserver 10.0.2.3\n');
  });

  it('describes the mode for mp doctor, and the refusal when no helper is installed', () => {
    expect(
      describeNetworkTool({ kind: 'slirp4netns', path: 'slirp4netns', version: 'slirp4netns version 1.2.0' }),
    ).toBe('network on = own namespace via slirp4netns 1.2.0, host loopback not reachable');
    expect(describeNetworkTool({ kind: 'pasta', path: 'pasta', version: 'pasta unknown version' })).toBe(
      'network on = own namespace via pasta (version unknown), host loopback not reachable',
    );
    expect(describeNetworkTool(null)).toContain('apt-get install slirp4netns');
  });
});
