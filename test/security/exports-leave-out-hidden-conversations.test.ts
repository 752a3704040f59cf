/**
 * Issue 9 item 4 on a team server (issue 10 item 5's rule): an export, previewed or downloaded, holds only
 * conversations the actor may see. Another member's private conversation is in no one's export but its
 * owner's and an admin's, even when the request names it in `conversationIds`; a reviewer may export (rating,
 * tagging and exporting is what the role is for), and the counts a refused conversation would add never show.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExportPreview } from '../../src/core/api/dataset-schemas.ts';
import { describeEachAppEngine } from '../support/app-engines.ts';
import { startTeamApp, type TeamApp, type TeamClient } from '../support/team-app.ts';

const PRIVATE_WORDS = 'the private plan of alice';

/** The answer's JSON; any 2xx unless `status` is given. */
async function json<T>(response: Response, status?: number): Promise<T> {
  const body = (await response.json()) as T;
  if (status === undefined ? !response.ok : response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

describeEachAppEngine('exports leave out conversations the actor may not see', (engine) => {
  let team: TeamApp;
  let hidden: string;
  let shared: string;

  async function conversation(owner: TeamClient, title: string, question: string): Promise<string> {
    const { id } = await json<{ id: string }>(await owner.api('POST', '/api/conversations', { title }));
    for (const [role, content] of [
      ['user', question],
      ['assistant', `An answer to: ${question}`],
    ]) {
      await json(await owner.api('POST', `/api/conversations/${id}/messages`, { role, content }));
    }
    return id;
  }

  beforeAll(async () => {
    team = await startTeamApp(engine);
    const alice = await team.as('alice');
    hidden = await conversation(alice, 'Private', `What about ${PRIVATE_WORDS}?`);
    await json(await alice.api('PATCH', `/api/conversations/${hidden}`, { visibility: 'private' }));
    shared = await conversation(alice, 'Shared', 'How do I reverse a list?');
  });
  afterAll(async () => {
    await team?.close();
  });

  async function preview(client: TeamClient, filters: object): Promise<ExportPreview> {
    return json(await client.api('POST', '/api/exports/preview', { format: 'openai-sft', filters }));
  }

  it('leaves another member’s private conversation out of a member’s and a reviewer’s preview', async () => {
    for (const name of ['carol', 'bob']) {
      const client = await team.as(name);
      const all = await preview(client, {});
      expect(all.counts.written, name).toBe(1);
      expect(all.examples.map((example) => example.conversationId)).toEqual([shared]);
      const named = await preview(client, { conversationIds: [hidden] });
      expect(named.counts.written, name).toBe(0);
      expect(named.examples).toEqual([]);
      expect(named.card).not.toContain(PRIVATE_WORDS);
    }
  });

  it('leaves it out of their downloads, even when named', async () => {
    for (const name of ['carol', 'bob']) {
      const client = await team.as(name);
      const answer = await client.api('POST', '/api/exports', {
        format: 'openai-sft',
        filters: { conversationIds: [hidden, shared] },
      });
      expect(answer.status, name).toBe(200);
      const text = await answer.text();
      expect(text.trimEnd().split('\n'), name).toHaveLength(1);
      expect(text).not.toContain(PRIVATE_WORDS);
    }
  });

  it('gives its owner and an admin all of it', async () => {
    for (const name of ['alice', 'root']) {
      const client = await team.as(name);
      expect((await preview(client, {})).counts.written, name).toBe(2);
      const text = await (
        await client.api('POST', '/api/exports', {
          format: 'openai-sft',
          filters: { conversationIds: [hidden] },
        })
      ).text();
      expect(text, name).toContain(PRIVATE_WORDS);
    }
  });
});
