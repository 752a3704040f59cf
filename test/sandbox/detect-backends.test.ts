import { describe, expect, it } from 'vitest';
import { detectBackends, detectBwrap, detectDocker } from '../../src/sandbox/detect-backends.ts';
import { hasExecutable, requirement } from '../support/environment.ts';
import { dockerWithImage } from './docker-available.ts';

describe('detectBackends', () => {
  it('reports every backend, host always available with its warning', async () => {
    const reports = await detectBackends();
    expect(reports.map((report) => report.sandbox)).toEqual(['bwrap', 'docker', 'host']);
    expect(reports[2]).toEqual({
      sandbox: 'host',
      available: true,
      detail: 'no isolation: commands run as this user, with its files and its network',
      network: 'network = the host’s own, loopback and our server included',
    });
  });

  it.runIf(requirement('bubblewrap (bwrap)', hasExecutable('bwrap')))(
    'finds a working bwrap by starting a sandbox',
    async () => {
      const report = await detectBwrap();
      expect(report).toMatchObject({ sandbox: 'bwrap', available: true });
      expect(report.detail).toMatch(/^bubblewrap [0-9.]+: a sandbox started and wrote to its workspace$/);
      expect(report.network).toMatch(
        /^network on = own namespace via (slirp4netns|pasta) .*host loopback not reachable$/,
      );
    },
  );

  it('says how to install bwrap when it is missing', async () => {
    expect(await detectBwrap('/nonexistent/bwrap')).toEqual({
      sandbox: 'bwrap',
      available: false,
      detail: 'bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)',
    });
  });

  it('says when the docker CLI is missing', async () => {
    expect(await detectDocker({ dockerPath: '/nonexistent/docker' })).toEqual({
      sandbox: 'docker',
      available: false,
      detail: 'the docker CLI is not installed',
    });
  });

  it.runIf(requirement('a Docker engine with the sandbox image (scripts/ci-docker.sh)', dockerWithImage()))(
    'names a missing image and how to build it',
    async () => {
      const report = await detectDocker({ image: 'modelprogrammer-no-such-image:none' });
      expect(report.available).toBe(false);
      expect(report.detail).toMatch(
        /answers but the image modelprogrammer-no-such-image:none is missing \(build it with scripts\/ci-docker.sh/,
      );
      expect(await detectDocker()).toMatchObject({ available: true });
    },
  );
});
