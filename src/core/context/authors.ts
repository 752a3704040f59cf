/**
 * OpenAI's `name` field accepts only `^[a-zA-Z0-9_-]{1,64}$` (a name outside it is a 400), so custom authors
 * the person typed are folded into that alphabet.
 *
 * @example openAiName('Jane Doe') // 'Jane_Doe'
 */
export function openAiName(author: string): string {
  const name = author.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return name === '' ? 'user' : name;
}

/**
 * How an author shows in the text for providers without a `name` field.
 *
 * @example authorPrefix('terminal') // '[terminal] '
 */
export function authorPrefix(author: string): string {
  return `[${author}] `;
}
