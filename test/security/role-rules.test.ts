/**
 * Issue 10 item 3: what each role may do is decided on the route the router matched, from the permission the
 * route declares (src/core/permissions.ts), never left to a handler to remember. This walks every route the
 * server registered (not a hand-made list) as a reviewer and as a member, on both engines, and expects a 403
 * naming the role needed exactly where the rule table says no, and nothing of the kind where it says yes.
 * The routes that run commands, decide proposals, call a model, change a workspace or sandbox, or change
 * settings are named as well: declaring one of them as `read` by mistake fails here.
 */

import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_PROMPT } from '../../src/core/context/default-system-prompt.ts';
import { can, roleNeeded } from '../../src/core/permissions.ts';
import { defineRoute, registerRoutes } from '../../src/server/api-route.ts';
import { describeEachAppEngine } from '../support/app-engines.ts';
import { startTeamApp, type TeamApp, type TeamClient } from '../support/team-app.ts';

/** Routes a reviewer must never reach, whatever a declaration says. */
const NEVER_FOR_REVIEWERS = [
  'POST /api/conversations/:id/run',
  'POST /api/proposals/:id/run',
  'POST /api/proposals/:id/reject',
  'POST /api/messages/:id/propose',
  'POST /api/executions/:id/interrupt',
  'POST /api/conversations/:id/generate',
  'POST /api/model-calls/:id/stop',
  'POST /api/conversations/:id/messages',
  'PATCH /api/conversations/:id',
  'PUT /api/settings',
];
const ADMIN_ONLY = [
  'GET /api/settings',
  'PUT /api/settings',
  'GET /api/accounts',
  'POST /api/accounts',
  'PATCH /api/accounts/:id',
  'DELETE /api/accounts/:id',
];

/** A made-up id: a route that passes the role check answers 404 (or 400 for the body), never 403. */
const concrete = (url: string) => url.replace(/:(\w+)/g, '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');

describeEachAppEngine('role rules on every route', (engine) => {
  let team: TeamApp;
  let reviewer: TeamClient;
  let member: TeamClient;
  beforeAll(async () => {
    team = await startTeamApp(engine);
    reviewer = await team.as('bob');
    member = await team.as('alice');
  });
  afterAll(async () => {
    await team?.close();
  });

  const apiRoutes = () =>
    team.t.app.routes.filter(
      (route) => !route.public && route.url.startsWith('/api/') && route.method !== 'HEAD',
    );

  it('has a declared permission on every API route that is not public', () => {
    const undeclared = apiRoutes().filter((route) => route.access === undefined);
    expect(undeclared.map((route) => `${route.method} ${route.url}`)).toEqual([]);
    const names = apiRoutes().map((route) => `${route.method} ${route.url}`);
    expect(names).toEqual(expect.arrayContaining([...NEVER_FOR_REVIEWERS, ...ADMIN_ONLY]));
    const notAdminOnly = apiRoutes().filter(
      (route) => ADMIN_ONLY.includes(`${route.method} ${route.url}`) && roleNeeded(route.access!) !== 'admin',
    );
    expect(notAdminOnly.map((route) => `${route.method} ${route.url}`)).toEqual([]);
  });

  for (const [who, role] of [
    ['reviewer', 'reviewer'],
    ['member', 'member'],
  ] as const) {
    it(`refuses a ${who} exactly the routes the rule table refuses it, naming the role needed`, async () => {
      const client = who === 'reviewer' ? reviewer : member;
      const wrong: string[] = [];
      for (const route of apiRoutes()) {
        if (route.url === '/api/events') continue; // a stream: checked below
        const answer = await client.api(
          route.method,
          concrete(route.url),
          route.method === 'GET' ? undefined : {},
        );
        const allowed = can(
          { kind: 'account', account: { ...client.account, createdAt: '' } },
          route.access!,
        );
        const body = (await answer.json().catch(() => null)) as { error?: { code: string; message: string } };
        if (allowed && answer.status === 403) wrong.push(`${route.method} ${route.url}: 403 for a ${role}`);
        if (!allowed) {
          const needed = roleNeeded(route.access!);
          if (answer.status !== 403 || body?.error?.code !== 'forbidden_role') {
            wrong.push(`${route.method} ${route.url}: ${answer.status}, not 403, for a ${role}`);
          } else if (!body.error.message.includes(`needs the ${needed} role`)) {
            wrong.push(`${route.method} ${route.url}: the refusal does not name ${needed}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('refuses a reviewer every route that runs commands, changes a workspace, sandbox or settings', async () => {
    const reached: string[] = [];
    for (const name of NEVER_FOR_REVIEWERS) {
      const [method, url] = name.split(' ') as [string, string];
      const answer = await reviewer.api(method, concrete(url), {});
      if (answer.status !== 403) reached.push(`${name} → ${answer.status}`);
    }
    expect(reached).toEqual([]);
  });

  it('lets a reviewer read a team conversation but not change its workspace or sandbox', async () => {
    const created = await member.api('POST', '/api/conversations', { title: 'shared work' });
    const conversation = (await created.json()) as { id: string; visibility: string };
    expect(conversation.visibility).toBe('team');
    expect((await reviewer.api('GET', `/api/conversations/${conversation.id}`)).status).toBe(200);
    for (const patch of [
      { workspace: '/tmp' },
      { sandbox: 'host' },
      { network: true },
      { title: 'renamed' },
      { systemPrompt: 'obey the reviewer' },
      { autoCompact: true },
    ]) {
      const answer = await reviewer.api('PATCH', `/api/conversations/${conversation.id}`, patch);
      expect(answer.status, JSON.stringify(patch)).toBe(403);
    }
    const run = await reviewer.api('POST', `/api/conversations/${conversation.id}/run`, { command: 'true' });
    expect(run.status).toBe(403);
    expect(((await run.json()) as { error: { message: string } }).error.message).toBe(
      'you are signed in as a reviewer; to propose, approve, reject, run or interrupt commands needs the member role (or admin)',
    );
    const read = (await (await member.api('GET', `/api/conversations/${conversation.id}`)).json()) as {
      settings: Record<string, unknown>;
    };
    // A new conversation starts with the default system prompt (issue 8 item 7); nothing else was changed.
    expect(read.settings).toEqual({ systemPrompt: DEFAULT_SYSTEM_PROMPT });
    const prompt = await reviewer.api('POST', '/api/prompts', { name: 'mine', content: 'x' });
    expect(prompt.status).toBe(403);
    expect((await reviewer.api('GET', '/api/prompts')).status).toBe(200);
  });

  it('opens the live-event stream to a reviewer (reading is allowed)', async () => {
    const events = await reviewer.liveEvents();
    await events.close();
  });
});

describe('route declarations', () => {
  it('refuses to register a route that declares no access, or no target for its :id', async () => {
    const app = Fastify();
    const noAccess = { method: 'GET', url: '/api/x', summary: 'x', handler: () => ({}) };
    expect(() => registerRoutes(app, [noAccess as never])).toThrow(
      'route GET /api/x declares no access: give it `access` (src/core/permissions.ts) or `public`',
    );
    const noTarget = defineRoute({
      method: 'GET',
      url: '/api/things/:id',
      summary: 'a thing',
      access: 'read',
      handler: () => ({}),
    });
    expect(() => registerRoutes(app, [noTarget])).toThrow(/declares no target/);
    await app.close();
  });
});
