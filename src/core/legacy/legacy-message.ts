import { z } from 'zod';
import type { Author, Editor, Role } from '../domain.ts';
import { InvalidLegacyDatabaseError } from './invalid-legacy-database-error.ts';
import { LEGACY_MESSAGE_TYPES, type LegacyMessageRow } from './legacy-database.ts';

/** A message as the original sent it to OpenAI: `human`/`terminal` (or any typed role) were `user` with a name. */
export interface LegacyText {
  kind: 'text';
  role: string | undefined;
  name: string | undefined;
  content: string;
}

/** A raw `chat.completion` response (type 0), kept whole. */
export interface LegacyResponse {
  kind: 'response';
  content: string;
  model: string;
  usage: Record<string, unknown> | null;
  finishReason: string | null;
  /** OpenAI's `created`: UTC seconds, the one zoned clock in the file. */
  createdUtcSeconds: number | undefined;
}

export type ParsedLegacyMessage = LegacyText | LegacyResponse;

const TextSchema = z.object({
  role: z.string().optional(),
  name: z.string().nullish(),
  content: z.string().nullish(),
});

const ResponseSchema = z.object({
  model: z.string(),
  created: z.number().optional(),
  usage: z.record(z.string(), z.unknown()).nullish(),
  choices: z
    .array(
      z.object({ message: z.object({ content: z.string().nullish() }), finish_reason: z.string().nullish() }),
    )
    .min(1),
});

export function parseLegacyMessage(row: LegacyMessageRow): ParsedLegacyMessage {
  let json: unknown;
  try {
    json = JSON.parse(row.content);
  } catch (error) {
    throw badMessage(row, 'its content is not JSON', error);
  }
  const response = ResponseSchema.safeParse(json);
  if (response.success) {
    const [choice] = response.data.choices;
    return {
      kind: 'response',
      content: choice?.message.content ?? '',
      model: response.data.model,
      usage: response.data.usage ?? null,
      finishReason: choice?.finish_reason ?? null,
      createdUtcSeconds: response.data.created,
    };
  }
  if (row.type === LEGACY_MESSAGE_TYPES.rawResponse) {
    throw badMessage(row, 'it is marked as a raw API response but is not a chat.completion with choices');
  }
  const text = TextSchema.safeParse(json);
  if (!text.success || json === null || Array.isArray(json)) {
    throw badMessage(row, 'its content is not a chat message ({"role", "content"})');
  }
  return {
    kind: 'text',
    role: text.data.role,
    name: text.data.name ?? undefined,
    content: text.data.content ?? '',
  };
}

export interface Authorship {
  role: Role;
  author: Author;
  /** Who wrote revision 1. */
  editor: Editor;
}

const SENDABLE_ROLES: readonly string[] = ['system', 'user', 'assistant'];
const WELL_KNOWN_NAMES: readonly string[] = ['human', 'terminal'];

/**
 * Role, author and first editor of a legacy message. What the original's code shows (inventor2525/ModelProgrammer,
 * Programmer.py): type 2 is text a person typed in the composer, whatever role they picked; type 3 is captured
 * terminal output; type 1 is the model's answer, formatted from a raw response; type 5 was saved without a
 * type, so only a matched raw response can say the model wrote it.
 */
export function legacyAuthorship(
  row: LegacyMessageRow,
  message: ParsedLegacyMessage,
  fromModel: boolean,
): Authorship {
  if (message.kind === 'response') return { role: 'assistant', author: 'model', editor: 'model' };
  const declared = message.role ?? row.role;
  const role: Role = SENDABLE_ROLES.includes(declared) ? (declared as Role) : 'user';
  const name = message.name ?? (SENDABLE_ROLES.includes(row.role) ? undefined : row.role);
  const modelWrote =
    row.type === LEGACY_MESSAGE_TYPES.formattedResponse || (role === 'assistant' && fromModel);
  const author = name !== undefined && name.trim() !== '' ? authorName(name) : modelWrote ? 'model' : 'human';
  return { role, author, editor: firstEditor(row.type, modelWrote) };
}

function authorName(name: string): Author {
  const lower = name.trim().toLowerCase();
  return WELL_KNOWN_NAMES.includes(lower) ? lower : name.trim();
}

function firstEditor(type: number, modelWrote: boolean): Editor {
  if (modelWrote) return 'model';
  switch (type) {
    case LEGACY_MESSAGE_TYPES.manualEntry:
    case LEGACY_MESSAGE_TYPES.edit:
      return 'human';
    case LEGACY_MESSAGE_TYPES.terminalOutput:
      return 'terminal';
    default:
      return 'import';
  }
}

function badMessage(row: LegacyMessageRow, problem: string, cause?: unknown): InvalidLegacyDatabaseError {
  return new InvalidLegacyDatabaseError(
    'bad-data',
    `legacy message ${row.id} cannot be imported: ${problem}`,
    {
      cause,
    },
  );
}
