import type { Author, Role } from '../domain.ts';

export const TITLE_MAX_LENGTH = 60;

/**
 * A sidebar title for an imported conversation: the description's first line when the person wrote one, else
 * what they first asked on the current path, else its first non-system message.
 */
export function legacyConversationTitle(
  description: string,
  path: readonly { role: Role; author: Author; content: string }[],
): string {
  const firstLine = description.split('\n').find((line) => line.trim() !== '');
  if (firstLine !== undefined) return shortenTitle(firstLine);
  const asked = path.find(
    (message) => message.role === 'user' && message.author === 'human' && hasText(message),
  );
  const fallback = asked ?? path.find((message) => message.role !== 'system' && hasText(message)) ?? path[0];
  return fallback && hasText(fallback) ? shortenTitle(fallback.content) : 'Imported conversation';
}

/** One line, at most `max` characters, cut at a word boundary when there is one near the end. */
export function shortenTitle(text: string, max: number = TITLE_MAX_LENGTH): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const characters = [...line];
  if (characters.length <= max) return line;
  const cut = characters.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space >= max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function hasText(message: { content: string }): boolean {
  return message.content.trim() !== '';
}
