import { describe, expect, it } from 'vitest';
import { dockerIsolatedLaunch } from './docker-isolated.ts';
import { ISOLATED_SCRIPT, isolatedBwrapLaunch, isolatedExtraEnvironment } from './isolated-shell.ts';

const request = { command: 'ls -la', cwd: '/work/p/src' };

describe('isolated shells', () => {
  it('keep only locale and display settings, and add git safety', () => {
    const environment = isolatedExtraEnvironment({
      LANG: 'de_DE.UTF-8',
      LC_ALL: 'C',
      PATH: '/work/p/bin:/usr/bin',
      BASH_ENV: '/work/p/x.sh',
      'BASH_FUNC_ls%%': '() { rm -rf /; }',
      LD_PRELOAD: '/work/p/x.so',
      GIT_EXTERNAL_DIFF: 'sh',
      RIPGREP_CONFIG_PATH: '/work/p/rg',
    });
    expect(Object.keys(environment).filter((name) => !name.startsWith('GIT_'))).toEqual(['LANG', 'LC_ALL']);
    expect(environment.GIT_EXTERNAL_DIFF).toBeUndefined();
    expect(environment.GIT_CONFIG_GLOBAL).toBe('/dev/null');
    expect(environment.GIT_CONFIG_KEY_0).toBe('core.fsmonitor');
  });

  it('derive from the bwrap session launch, its environment rebuilt after everything it set', () => {
    const shell = {
      file: 'bwrap',
      args: [
        '--clearenv',
        '--setenv',
        'HOME',
        '/home/sandbox',
        '--setenv',
        'PATH',
        '/evil',
        '--bind',
        '/w',
        '/w',
      ],
      env: {},
      detached: true,
    };
    shell.args.push('bash', '--noprofile', '--norc');
    const launch = isolatedBwrapLaunch(shell, request, { PATH: '/evil' });
    const tail = launch.args.slice(launch.args.lastIndexOf('--clearenv'));
    expect(tail.slice(-8)).toEqual([
      'bash',
      '--noprofile',
      '--norc',
      '-c',
      ISOLATED_SCRIPT,
      'mp-isolated',
      '/work/p/src',
      'ls -la',
    ]);
    const setenv = new Map<string, string>();
    for (let index = 0; index < tail.length; index += 1) {
      if (tail[index] === '--setenv') setenv.set(tail[index + 1]!, tail[index + 2]!);
    }
    expect(setenv.get('PATH')).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(setenv.get('HOME')).toBe('/home/sandbox');
    expect(setenv.has('BASH_ENV')).toBe(false);
    expect(launch.args.slice(0, shell.args.length - 3)).toEqual(shell.args.slice(0, -3));
  });

  it('refuse a bwrap launch that does not end with the session bash', () => {
    expect(() =>
      isolatedBwrapLaunch({ file: 'bwrap', args: ['sh'], env: {}, detached: true }, request),
    ).toThrow(/must end with/);
  });

  it('run in docker as a new exec with BASH_ENV and ENV unset', () => {
    const shell = {
      file: 'docker',
      args: ['exec', '--interactive', '--env', 'PATH=/evil', 'mp-sandbox-1', 'bash', '--noprofile', '--norc'],
      env: { DOCKER_HOST: 'unix:///x' },
      detached: true,
    };
    const launch = dockerIsolatedLaunch(shell, request, { PATH: '/evil' });
    expect(launch.env).toEqual({ DOCKER_HOST: 'unix:///x' });
    expect(launch.args).not.toContain('--interactive');
    expect(launch.args).not.toContain('PATH=/evil');
    const container = launch.args.indexOf('mp-sandbox-1');
    expect(launch.args.slice(container, container + 7)).toEqual([
      'mp-sandbox-1',
      'env',
      '-u',
      'BASH_ENV',
      '-u',
      'ENV',
      'bash',
    ]);
    expect(launch.args.slice(-2)).toEqual(['/work/p/src', 'ls -la']);
  });
});
