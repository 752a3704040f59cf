import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-errors.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Every other method may change state (Fastify accepts more than the four usual ones). */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on routes that answer without the token: the page shell, its assets, health, the code exchange. */
    public?: boolean;
  }
}

/**
 * Whether the route the router matched was declared public. Decided on the matched route, never on the URL:
 * the router decodes and normalises the path, so any test of the raw URL can be dodged by another spelling
 * (`/%61pi/…`). An unmatched request (the 404 handler) is not public, so it needs the token too and tells a
 * stranger nothing about which routes exist.
 */
export function isPublicRoute(request: FastifyRequest): boolean {
  return request.is404 !== true && request.routeOptions.config?.public === true;
}

/**
 * The names a server answers as, besides loopback ones on its own port. Token mode has none. A team server
 * reached from elsewhere adds the address it listens on (`--host 192.0.2.7`) and the URL people open
 * (`--public-url https://mp.lab.example`, the proxy's name): without them the Host check below could not tell
 * the server's own name from a rebinding attacker's (docs/team.md).
 */
export interface ServedSite {
  /** `https:` when this process itself speaks TLS (`--tls-cert`). */
  scheme: 'http:' | 'https:';
  /** Extra host names (a specific `--host` address) reached on the server's own port. */
  hostNames: readonly string[];
  /** Full origins, such as `https://mp.lab.example` (a TLS proxy in front listens on its own port). */
  publicOrigins: readonly string[];
}

export const LOOPBACK_SITE: ServedSite = { scheme: 'http:', hostNames: [], publicOrigins: [] };

/**
 * A Host header other than a loopback name (or a name of `site`) with our port means the request came through
 * a name that resolves to us but is not us: DNS rebinding. Refuse it.
 */
export function checkHost(host: string | undefined, port: number, site: ServedSite = LOOPBACK_SITE): void {
  if (host === undefined) throw new HttpError(403, 'forbidden_host', 'missing Host header');
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.toLowerCase());
  const name = match?.[1];
  const explicitPort = match?.[2] === undefined ? undefined : Number(match[2]);
  if (name !== undefined) {
    const ownNames = LOOPBACK_HOSTS.has(name) || site.hostNames.includes(name);
    if (ownNames && (explicitPort ?? defaultPort(site.scheme)) === port) return;
    for (const origin of site.publicOrigins) {
      const url = new URL(origin);
      if (url.hostname === name && (explicitPort ?? defaultPort(url.protocol)) === portOf(url)) return;
    }
  }
  const expected = [`127.0.0.1:${port}`, ...site.publicOrigins.map((origin) => new URL(origin).host)];
  throw new HttpError(403, 'forbidden_host', `requests must address ${expected.join(' or ')}, not ${host}`);
}

function defaultPort(scheme: string): number {
  return scheme === 'https:' ? 443 : 80;
}

function portOf(url: URL): number {
  return url.port === '' ? defaultPort(url.protocol) : Number(url.port);
}

/**
 * Browsers send Origin on cross-site requests; a page on another site must not drive this server (CSRF).
 * Requests without Origin come from non-browser clients, which still need the token.
 */
export function checkOrigin(
  request: FastifyRequest,
  port: number,
  isEventStream: boolean,
  site: ServedSite = LOOPBACK_SITE,
): void {
  if (SAFE_METHODS.has(request.method) && !isEventStream) return;
  const origin = request.headers.origin;
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site')
    throw new HttpError(403, 'forbidden_origin', 'cross-site requests are refused');
  if (origin === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    throw new HttpError(403, 'forbidden_origin', `cross-site requests are refused (Origin: ${origin})`);
  }
  if (site.publicOrigins.includes(parsed.origin)) return;
  const hostname = parsed.hostname.toLowerCase();
  const ownName = LOOPBACK_HOSTS.has(hostname) || site.hostNames.includes(hostname);
  if (parsed.protocol !== site.scheme || !ownName || portOf(parsed) !== port) {
    throw new HttpError(403, 'forbidden_origin', `cross-site requests are refused (Origin: ${origin})`);
  }
}

/**
 * The token comes only in `Authorization: Bearer`. Not a cookie (browsers send a cookie for 127.0.0.1 to every
 * port of it, so any local server the person visits would receive it) and not the query string (URLs end up in
 * the process list, history and logs). Issue 7 item 2.
 */
export function tokenFromRequest(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  const match = authorization === undefined ? null : /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization);
  return match?.[1];
}

export function tokensEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Model output is untrusted: no inline script, no eval, nothing from elsewhere. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function setSecurityHeaders(reply: FastifyReply): void {
  reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('X-Frame-Options', 'DENY');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  reply.header('Cross-Origin-Resource-Policy', 'same-origin');
}
