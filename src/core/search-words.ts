/**
 * What a person typed into search, as the words both store engines look for (issue 10): runs of letters,
 * digits and underscores, nothing else. Everything between them (quotes, `&`, `|`, `!`, `*`, `:`) is
 * dropped, so the FTS5 expression (store/search.ts) and the tsquery (store/engines/postgres-search.ts) built
 * from the words can never be a syntax error, and the two engines search for the same words.
 */

/** More words than anyone types; a pasted paragraph would otherwise become a huge query. */
export const MAX_SEARCH_WORDS = 20;

/**
 * @example
 * searchWords(`a|b & !c "d"`) // ['a', 'b', 'c', 'd']
 */
export function searchWords(text: string): string[] {
  return (text.match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, MAX_SEARCH_WORDS);
}
