import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/support/store-engines.ts';
import type { Conversation } from '../../core/domain.ts';
import type { Store } from '../store.ts';
import { postgresSearch, toTsQuery } from './postgres-search.ts';
import type { SearchDocument } from './search-engine.ts';
import { sqliteSearch, toMatchExpression } from './sqlite-search.ts';

describe('toTsQuery', () => {
  it('makes every typed word a prefix term, all of them required', () => {
    expect(toTsQuery('hel wor')).toBe("'hel':* & 'wor':*");
    expect(toTsQuery('Ünïcode 数据 snake_case 42')).toBe("'Ünïcode':* & '数据':* & 'snake_case':* & '42':*");
  });

  it("keeps only words, so tsquery's own syntax and quotes typed by a person are never syntax", () => {
    expect(toTsQuery('a|b & !c <-> (d) \'e\' "f" g:* h\\')).toBe(
      "'a':* & 'b':* & 'c':* & 'd':* & 'e':* & 'f':* & 'g':* & 'h':*",
    );
    expect(toTsQuery("o'clock")).toBe("'o':* & 'clock':*");
  });

  it('gives nothing for text without words, and at most 20 terms', () => {
    expect(toTsQuery('  !!! ... ')).toBe('');
    expect(
      toTsQuery(Array.from({ length: 30 }, (_, index) => `w${index}`).join(' ')).split(' & '),
    ).toHaveLength(20);
  });
});

describe('toMatchExpression', () => {
  it('quotes the same words as FTS5 prefix terms, so FTS5 syntax typed by a person is never syntax', () => {
    expect(toMatchExpression('hel wor')).toBe('"hel"* "wor"*');
    expect(toMatchExpression('a OR b NEAR(c) "d" -e ^f g:h*')).toBe(
      '"a"* "OR"* "b"* "NEAR"* "c"* "d"* "e"* "f"* "g"* "h"*',
    );
    expect(toMatchExpression(' !!! ')).toBe('');
  });
});

/**
 * The engine part behind SearchIndex (search-engine.ts), driven directly: what PostgreSQL's has to answer
 * exactly as SQLite's FTS5 does (issue 10).
 */
describeEachEngine('search engine', (engine) => {
  const searchEngine = engine.kind === 'postgres' ? postgresSearch : sqliteSearch;

  async function documentsOf(store: Store, refId: string): Promise<number> {
    const result = await sql<{ n: number }>`
      SELECT CAST(COUNT(*) AS INTEGER) AS n FROM search_documents WHERE ref_id = ${refId}`.execute(
      store.database.db,
    );
    return Number(result.rows[0]!.n);
  }

  it('replaces what it held for a document, keeping one entry per thing', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'Lighthouse' });
    const document: SearchDocument = {
      kind: 'conversation',
      refId: conversation.id,
      conversationId: conversation.id,
      text: 'Harbour keeper',
    };
    await store.transaction(() => searchEngine.index(store.database.db, [document]));
    expect(await documentsOf(store, conversation.id)).toBe(1);
    const ids = async (text: string) =>
      (await searchEngine.search(store.database.db, text, 10)).conversations.map((hit) => hit.id);
    expect(await ids('harb keep')).toEqual([conversation.id]);
    expect(await ids('lighthouse')).toEqual([]);
  });

  it('indexes many documents in one call, past what one statement carries', async () => {
    const store = await engine.openStore();
    const conversations: Conversation[] = [];
    for (let index = 0; index < 3; index++) {
      conversations.push(await store.conversations.create({ title: `t${index}` }));
    }
    const documents: SearchDocument[] = Array.from({ length: 1201 }, (_, index) => {
      const conversation = conversations[index % 3]!;
      return {
        kind: 'conversation',
        refId: index < 3 ? conversation.id : `gone-${index}`,
        conversationId: conversation.id,
        text: `quasar ${index}`,
      };
    });
    await store.transaction(() => searchEngine.index(store.database.db, documents));
    const found = await searchEngine.search(store.database.db, 'quasar', 2000);
    // Documents of things that are not conversations are indexed but never answered.
    expect(found.conversations.map((hit) => hit.id).sort()).toEqual(conversations.map((c) => c.id).sort());
    const count = await sql<{ n: number }>`
      SELECT CAST(COUNT(*) AS INTEGER) AS n FROM search_documents WHERE ref_id LIKE 'gone-%'`.execute(
      store.database.db,
    );
    expect(Number(count.rows[0]!.n)).toBe(1198);
  });

  it('marks the matches in a snippet of at most 16 words, with … where it cuts the text', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'snippets' });
    const words = Array.from({ length: 40 }, (_, index) => `word${index}`);
    const texts = {
      middle: [...words.slice(0, 20), 'needle', ...words.slice(20)].join(' '),
      start: ['needle', ...words].join(' '),
      end: [...words, 'needle'].join(' '),
      whole: 'a short needle',
    };
    const ids: Record<string, string> = {};
    for (const [name, content] of Object.entries(texts)) {
      ids[(await store.messages.append(conversation.id, { role: 'user', author: 'human', content })).id] =
        name;
    }
    const found = await store.search.search('needl');
    const snippets: Record<string, string> = Object.fromEntries(
      found.messages.map((hit) => [ids[hit.id], hit.snippet]),
    );
    expect(snippets.whole).toBe('a short «needle»');
    expect(snippets.start).toMatch(/^«needle» word0 word1 .* word\d+…$/);
    expect(snippets.end).toMatch(/^…word\d+ .* word39 «needle»$/);
    expect(snippets.middle).toMatch(/^…word\d+ .* word19 «needle» word20 .* word\d+…$/);
    for (const snippet of Object.values(snippets)) {
      expect(snippet.split(' ').length, snippet).toBeLessThanOrEqual(16);
    }
  });

  it('finds a path by its start on both engines, and by a later part on SQLite only (docs/api.md says so)', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'paths' });
    const message = await store.messages.append(conversation.id, {
      role: 'user',
      author: 'human',
      content: 'edit src/store/search.ts, then 3.14',
    });
    const found = async (text: string) => (await store.search.search(text)).messages.map((hit) => hit.id);
    expect(await found('src')).toEqual([message.id]);
    expect(await found('3')).toEqual([message.id]);
    // PostgreSQL's parser keeps a path and a decimal number as one token, which FTS5 splits into words.
    const inside = engine.kind === 'sqlite' ? [message.id] : [];
    expect(await found('search')).toEqual(inside);
    expect(await found('14')).toEqual(inside);
  });

  it('stops at the limit, keeping the order a longer list has', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'ties' });
    const appended = [];
    for (let index = 0; index < 5; index++) {
      appended.push(
        await store.messages.append(conversation.id, {
          role: 'user',
          author: 'human',
          content: 'same words',
        }),
      );
    }
    await store.search.flush();
    const first = await searchEngine.search(store.database.db, 'same', 3);
    expect(first.messages).toHaveLength(3);
    expect((await searchEngine.search(store.database.db, 'same', 3)).messages).toEqual(first.messages);
    expect((await searchEngine.search(store.database.db, 'same', 50)).messages.slice(0, 3)).toEqual(
      first.messages,
    );
    expect(appended.map((message) => message.id)).toEqual(
      expect.arrayContaining(first.messages.map((hit) => hit.id)),
    );
  });
});
