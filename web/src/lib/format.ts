const dateOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const count = new Intl.NumberFormat();

const pad = (value: number) => String(value).padStart(2, '0');

/** Local time as 2023-03-31 19:45, like the original's cards: unambiguous in every locale and sortable. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Sidebar dates: the time for today, the day otherwise. */
export function formatShortDate(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateOnly.format(date);
}

/** Token counts use the o200k encoding: exact for OpenAI models only, hence "≈". */
export function formatTokens(tokens: number): string {
  return `≈ ${count.format(tokens)} ${tokens === 1 ? 'token' : 'tokens'}`;
}

export function formatCount(value: number): string {
  return count.format(value);
}

export function conversationTitle(title: string): string {
  return title.trim() === '' ? 'Untitled conversation' : title;
}

const AUTHOR_NAMES: Record<string, string> = { human: 'Human', model: 'Model', terminal: 'Terminal' };
const ROLE_NAMES: Record<string, string> = {
  system: 'System',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
};

export function roleName(role: string): string {
  return ROLE_NAMES[role] ?? role;
}

export function authorName(author: string): string {
  return AUTHOR_NAMES[author] ?? author;
}
