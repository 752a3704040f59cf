import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachEngine, itOn } from '../../../test/support/store-engines.ts';
import type { Conversation } from '../../core/domain.ts';
import { openDatabase } from '../open-database.ts';
import type { Store } from '../store.ts';
import { postgresSearch, toTsQuery, withMarks } from './postgres-search.ts';
import type { SearchDocument } from './search-engine.ts';
import { sqliteSearch, toMatchExpression } from './sqlite-search.ts';

describe('toTsQuery', () => {
  it('makes every typed word a prefix term, all of them required', () => {
    expect(toTsQuery('hel wor')).toBe("'hel':* & 'wor':*");
    expect(toTsQuery('Ünïcode 数据 42')).toBe("'Ünïcode':* & '数据':* & '42':*");
  });

  it('makes a word with underscores a phrase whose last part only is a prefix, as FTS5 reads "snake_ca"*', () => {
    expect(toTsQuery('snake_ca x')).toBe("'snake' <-> 'ca':* & 'x':*");
    expect(toTsQuery('_a__b_ ___')).toBe("'a' <-> 'b':*");
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

describe('withMarks', () => {
  it("puts the headline's marks into the text as written, character for character", () => {
    expect(withMarks('src store «search» ts', 'src/store/search.ts')).toBe('src/store/«search».ts');
    expect(withMarks(' «quoted»  «then» ', '“quoted”—then…')).toBe('“«quoted»”—«then»…');
    expect(withMarks('«𝒳» y', '𝒳.y')).toBe('«𝒳».y');
    expect(withMarks('a «b»', null)).toBe('a «b»');
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

  it('finds each word of a path, URL, e-mail address, host name, decimal and snake_case or kebab-case name', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'compound words' });
    const contents = {
      path: 'edit src/store/search.ts now',
      url: 'read https://docs.example.com/guide/intro?lang=en#setup first',
      email: 'write to ada.lovelace@example.org today',
      host: 'ping build-01.example.net twice',
      decimal: 'pi is 3.14 or -2.5e3 roughly',
      snake: 'call read_file_slowly()',
      kebab: 'node --max-old-space-size',
      accents: 'open Café/Crème-brûlée.txt',
      typography: 'He said “quoted”—then… ├── done',
    };
    const names = new Map<string, string>();
    for (const [name, content] of Object.entries(contents)) {
      const message = await store.messages.append(conversation.id, {
        role: 'user',
        author: 'human',
        content,
      });
      names.set(message.id, name);
    }
    const found = async (text: string) =>
      (await store.search.search(text)).messages.map((hit) => names.get(hit.id)).sort();
    const expected: [string, string[]][] = [
      ['search', ['path']],
      ['store ts', ['path']],
      ['src/store/sea', ['path']],
      ['docs', ['url']],
      ['guide intro', ['url']],
      ['lang setup', ['url']],
      ['example', ['email', 'host', 'url']],
      ['lovelace', ['email']],
      ['org', ['email']],
      ['build', ['host']],
      ['01', ['host']],
      ['net', ['host']],
      ['14', ['decimal']],
      ['3.1', ['decimal']],
      ['5e', ['decimal']],
      ['file', ['snake']],
      ['slow', ['snake']],
      ['file_slow', ['snake']],
      ['read_slow', []],
      ['old space', ['kebab']],
      ['size', ['kebab']],
      ['cafe', ['accents']],
      ['creme brulee', ['accents']],
      ['txt', ['accents']],
      ['quoted', ['typography']],
      ['then', ['typography']],
      ['done', ['typography']],
    ];
    for (const [text, hits] of expected) expect(await found(text), text).toEqual(hits);
  });

  it('marks the matched word inside a path, URL or e-mail address, showing the text as written', async () => {
    const store = await engine.openStore();
    const conversation = await store.conversations.create({ title: 'marks' });
    for (const content of [
      'edit src/store/search.ts now',
      'pi is 3.14 or -2.5e3 roughly',
      'write to ada.lovelace@example.org today',
      'open Café/Crème-brûlée.txt',
      'He said “quoted”—then… «guillemets» ├── done',
      'GET https://example.com/api/v2/items?id=7&sort=asc',
    ]) {
      await store.messages.append(conversation.id, { role: 'user', author: 'human', content });
    }
    const snippet = async (text: string) =>
      (await store.search.search(text)).messages.map((hit) => hit.snippet);
    expect(await snippet('search')).toEqual(['edit src/store/«search».ts now']);
    expect(await snippet('14')).toEqual(['pi is 3.«14» or -2.5e3 roughly']);
    expect(await snippet('lovel')).toEqual(['write to ada.«lovelace»@example.org today']);
    expect(await snippet('brulee')).toEqual(['open Café/Crème-«brûlée».txt']);
    expect(await snippet('guill')).toEqual(['He said “quoted”—then… ««guillemets»» ├── done']);
    expect(await snippet('items sort')).toEqual(['GET https://example.com/api/v2/«items»?id=7&«sort»=asc']);
  });

  itOn(engine, 'postgres')(
    'splits at exactly the punctuation and symbols where FTS5 splits, in the blocks version 9 lists',
    async () => {
      const store = await engine.openStore();
      const blocks = [
        [0x21, 0x7e],
        [0xa0, 0xff],
        [0x2000, 0x206f],
        [0x2190, 0x23ff],
        [0x2500, 0x27bf],
        [0x3000, 0x303f],
        [0xff01, 0xff65],
      ] as const;
      const codes = blocks.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
      // The class itself (the same in any locale), and that the parser then takes each as a separator.
      const separated = await sql<{ code: number; splits: number }>`
        SELECT code, CASE WHEN to_tsvector('mp_search', mp_search_separated('qq' || chr(code) || 'zz', ' '))
            @@ to_tsquery('mp_search', 'zz') THEN 1 ELSE 0 END AS splits
          FROM unnest(CAST(${codes} AS integer[])) AS code
          WHERE mp_search_separated(chr(code), ' ') = ' '
          ORDER BY code`.execute(store.database.db);
      expect(separated.rows.filter((row) => row.splits !== 1)).toEqual([]);
      const sqlite = openDatabase(':memory:');
      try {
        const insert = sqlite.prepare('INSERT INTO search_index (rowid, text) VALUES (?, ?)');
        for (const code of codes) insert.run(code, `qq${String.fromCodePoint(code)}zz`);
        const fts5 = sqlite
          .prepare(`SELECT rowid AS code FROM search_index WHERE search_index MATCH '"zz"' ORDER BY rowid`)
          .all()
          .map((row) => Number(row.code));
        const hex = (code: number) => code.toString(16);
        expect(separated.rows.map((row) => hex(row.code))).toEqual(fts5.map(hex));
      } finally {
        sqlite.close();
      }
    },
  );

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
