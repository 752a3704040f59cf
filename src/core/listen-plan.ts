/**
 * Where `mp serve` may listen, and what that asks for (issue 10 item 3), decided before anything starts.
 * The single token is for one person on this machine: any address beyond loopback needs `--team` (accounts,
 * sessions, CSRF). Beyond loopback the traffic carries passwords and session cookies, so it needs TLS, here
 * (`--tls-cert`/`--tls-key`) or at a proxy in front; without either the start goes on with a warning that says
 * how. A wildcard address (`0.0.0.0`, `::`) has no name of its own, so the Host check (DNS rebinding) needs the
 * URL people open (`--public-url`).
 */
import { AppError } from './errors.ts';

export interface ListenRequest {
  /** `--host`; default 127.0.0.1. */
  host: string;
  team: boolean;
  /** Whether `--tls-cert` and `--tls-key` were given (both, or neither: checked here). */
  tlsCert: boolean;
  tlsKey: boolean;
  /** `--public-url`: the address people open, e.g. a TLS proxy's `https://mp.lab.example`. */
  publicUrl?: string | undefined;
}

export interface ListenPlan {
  host: string;
  tls: boolean;
  /** Host names accepted on the server's own port besides loopback's (a specific --host address). */
  hostNames: string[];
  /** Origins accepted besides the server's own (`--public-url`). */
  publicOrigins: string[];
  /** The session cookie is `__Host-`/Secure: the browser reaches us over TLS, here or at the proxy. */
  secureCookie: boolean;
  /** Things to print at start: the server runs, but should not stay like this. */
  warnings: string[];
}

export class ListenRefusedError extends AppError {
  constructor(message: string) {
    super('listen_refused', message);
    this.name = 'ListenRefusedError';
  }
}

/** A proxy setup to name in messages: Caddy gets certificates by itself and passes the Host through. */
export const TLS_PROXY_ADVICE =
  'put a TLS proxy in front, e.g. Caddy with `mp.example.org { reverse_proxy 127.0.0.1:PORT }`, keep ' +
  '`mp serve --team` on 127.0.0.1 and add `--public-url https://mp.example.org`';

/**
 * @example
 * planListening({ host: '0.0.0.0', team: false, tlsCert: false, tlsKey: false })
 * // throws ListenRefusedError: listening on 0.0.0.0 reaches beyond this machine, which needs --team …
 */
export function planListening(request: ListenRequest): ListenPlan {
  const host = request.host.trim();
  if (request.tlsCert !== request.tlsKey) {
    throw new ListenRefusedError(
      '--tls-cert and --tls-key go together: give both (PEM files), or neither and put a TLS proxy in front',
    );
  }
  const tls = request.tlsCert;
  const loopback = isLoopbackAddress(host);
  if (!loopback && !request.team) {
    throw new ListenRefusedError(
      `listening on ${host} reaches beyond this machine, which needs --team (accounts and sessions; the ` +
        'single token is for one person on loopback): add an admin with `mp user add NAME --role admin`, then ' +
        `\`mp serve --team --host ${host}\``,
    );
  }
  const publicUrl = request.publicUrl === undefined ? undefined : parsePublicUrl(request.publicUrl);
  if (publicUrl !== undefined && !request.team) {
    throw new ListenRefusedError('--public-url is for a team server: add --team');
  }
  if (isWildcard(host) && publicUrl === undefined) {
    throw new ListenRefusedError(
      `--host ${host} listens on every address, so the server cannot tell its own name from a DNS rebinding ` +
        "attacker's: add --public-url with the address people open (https://NAME or https://NAME:PORT)",
    );
  }
  const warnings: string[] = [];
  if (!loopback && !tls) {
    warnings.push(
      `warning: serving plain HTTP on ${host}: passwords and session cookies cross the network readable. ` +
        `Give --tls-cert and --tls-key, or ${TLS_PROXY_ADVICE}. The server trusts no X-Forwarded-* header ` +
        'unless --trust-proxy names the proxy',
    );
  } else if (
    publicUrl !== undefined &&
    publicUrl.protocol === 'http:' &&
    !isLoopbackAddress(publicUrl.hostname)
  ) {
    warnings.push(
      `warning: --public-url ${publicUrl.origin} is plain HTTP: passwords and session cookies cross the ` +
        `network readable; ${TLS_PROXY_ADVICE}`,
    );
  }
  return {
    host,
    tls,
    hostNames: loopback || isWildcard(host) ? [] : [bracketed(host).toLowerCase()],
    publicOrigins: publicUrl === undefined ? [] : [publicUrl.origin],
    secureCookie: tls || publicUrl?.protocol === 'https:',
    warnings,
  };
}

/** 127.0.0.0/8, ::1 and localhost: this machine only. */
export function isLoopbackAddress(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

function isWildcard(host: string): boolean {
  return ['0.0.0.0', '::', '[::]'].includes(host);
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function parsePublicUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ListenRefusedError(`--public-url must be a URL such as https://mp.example.org, not ${value}`);
  }
  if (
    !['http:', 'https:'].includes(url.protocol) ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    url.pathname !== '/'
  ) {
    throw new ListenRefusedError(
      `--public-url is the origin people open (https://NAME or https://NAME:PORT, no path), not ${value}`,
    );
  }
  return url;
}
