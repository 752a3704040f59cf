/**
 * How `mp serve` is reached (issue 10 item 3): the address it listens on, TLS, team mode, and what the Host,
 * Origin and cookie rules must accept as a result. Planned before anything starts (a refused plan stops the
 * start with its one-line reason), then turned into the server's options once the store is open.
 */
import { type ListenPlan, planListening } from '../core/listen-plan.ts';
import type { Store } from '../store/store.ts';
import type { ServedSite } from './security.ts';
import { TeamSessions } from './team-sessions.ts';

export interface ServeOptions {
  /** `--host`; default 127.0.0.1. */
  host?: string;
  /** `--team`: accounts, sessions and CSRF instead of the single token. */
  team?: boolean;
  /** `--tls-cert` / `--tls-key`, read by the CLI (PEM). */
  tls?: { cert: Buffer; key: Buffer };
  /** `--public-url`: the address people open (a TLS proxy's). */
  publicUrl?: string;
  /** `--trust-proxy`: the proxy address whose X-Forwarded-For names the client. */
  trustProxy?: string;
  /** Session limits and clock (tests shorten them). */
  sessions?: { idleMs?: number; absoluteMs?: number; now?: () => number; recheckMs?: number };
}

export interface Serving {
  plan: ListenPlan;
  /** What createServer takes from it. */
  server: {
    site: ServedSite;
    team?: TeamSessions;
    tls?: { cert: Buffer; key: Buffer };
    trustProxy?: string;
  };
  /** The URL to print and open, for the port actually bound. */
  url(port: number): string;
}

/** Throws ListenRefusedError for a plan that must not run (see listen-plan.ts). */
export function planServing(options: ServeOptions = {}): ListenPlan {
  return planListening({
    host: options.host ?? '127.0.0.1',
    team: options.team === true,
    tlsCert: options.tls !== undefined,
    tlsKey: options.tls !== undefined,
    publicUrl: options.publicUrl,
  });
}

export function prepareServing(plan: ListenPlan, options: ServeOptions, store: Store): Serving {
  const scheme = plan.tls ? 'https:' : 'http:';
  const team =
    options.team === true
      ? new TeamSessions({ store, secureCookie: plan.secureCookie, ...(options.sessions ?? {}) })
      : undefined;
  return {
    plan,
    server: {
      site: { scheme, hostNames: plan.hostNames, publicOrigins: plan.publicOrigins },
      ...(team === undefined ? {} : { team }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    },
    url: (port) => {
      const publicOrigin = plan.publicOrigins[0];
      if (publicOrigin !== undefined) return `${publicOrigin}/`;
      const name = plan.hostNames[0] ?? '127.0.0.1';
      return `${scheme}//${name}:${port}/`;
    },
  };
}
