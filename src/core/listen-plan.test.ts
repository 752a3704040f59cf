import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, ListenRefusedError, planListening } from './listen-plan.ts';

const base = { host: '127.0.0.1', team: false, tlsCert: false, tlsKey: false };

describe('where mp serve may listen', () => {
  it('serves token mode on loopback as before: no names, no warnings, a plain cookie-less start', () => {
    expect(planListening(base)).toEqual({
      host: '127.0.0.1',
      tls: false,
      hostNames: [],
      publicOrigins: [],
      secureCookie: false,
      warnings: [],
    });
  });

  it('refuses any address beyond loopback without --team, saying how to add accounts', () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.7', 'mp.lab.example']) {
      expect(() => planListening({ ...base, host })).toThrow(ListenRefusedError);
      expect(() => planListening({ ...base, host })).toThrow(
        new RegExp(
          `listening on ${host.replace(/\./g, '\\.')} reaches beyond this machine, which needs --team.*mp user add NAME --role admin`,
        ),
      );
    }
  });

  it('warns on plain HTTP beyond loopback, naming a TLS proxy and the header it must not be trusted for', () => {
    const plan = planListening({ ...base, team: true, host: '192.0.2.7' });
    expect(plan.hostNames).toEqual(['192.0.2.7']);
    expect(plan.secureCookie).toBe(false);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toMatch(
      /^warning: serving plain HTTP on 192\.0\.2\.7: passwords and session cookies/,
    );
    expect(plan.warnings[0]).toMatch(/--tls-cert and --tls-key, or put a TLS proxy in front, e\.g\. Caddy/);
    expect(plan.warnings[0]).toMatch(/trusts no X-Forwarded-\* header unless --trust-proxy/);
  });

  it('serves TLS itself with both PEM files: a secure cookie and no warning', () => {
    const plan = planListening({ ...base, team: true, host: '192.0.2.7', tlsCert: true, tlsKey: true });
    expect(plan).toMatchObject({ tls: true, secureCookie: true, warnings: [] });
    expect(() => planListening({ ...base, team: true, tlsCert: true })).toThrow(
      '--tls-cert and --tls-key go together',
    );
  });

  it('needs --public-url for a wildcard address, since it has no name of its own to check Host against', () => {
    expect(() =>
      planListening({ ...base, team: true, host: '0.0.0.0', tlsCert: true, tlsKey: true }),
    ).toThrow(
      /every address, so the server cannot tell its own name from a DNS rebinding attacker's: add --public-url/,
    );
    const plan = planListening({
      ...base,
      team: true,
      host: '0.0.0.0',
      tlsCert: true,
      tlsKey: true,
      publicUrl: 'https://mp.lab.example:8443',
    });
    expect(plan).toMatchObject({ hostNames: [], publicOrigins: ['https://mp.lab.example:8443'] });
  });

  it('behind a TLS proxy on this machine: loopback, --public-url https, a secure cookie, no warning', () => {
    const plan = planListening({ ...base, team: true, publicUrl: 'https://mp.lab.example/' });
    expect(plan).toMatchObject({
      host: '127.0.0.1',
      tls: false,
      publicOrigins: ['https://mp.lab.example'],
      secureCookie: true,
      warnings: [],
    });
  });

  it('refuses a --public-url that is not an origin, or without --team', () => {
    for (const publicUrl of [
      'mp.lab.example',
      'ftp://mp.lab.example',
      'https://mp.lab.example/app',
      'https://u:p@x.example',
    ]) {
      expect(() => planListening({ ...base, team: true, publicUrl })).toThrow(ListenRefusedError);
    }
    expect(() => planListening({ ...base, publicUrl: 'https://mp.lab.example' })).toThrow('add --team');
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'])
      expect(isLoopbackAddress(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.org'])
      expect(isLoopbackAddress(host)).toBe(false);
  });
});
