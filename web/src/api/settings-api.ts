/**
 * The Settings page's routes: the config file (keys never come back, only `hasApiKey`) and the provider list.
 * Parsed with the server's own schemas, like every answer in client.ts.
 */
import type { z } from 'zod';
import { ProviderListSchema } from '../../../src/core/api/model-schemas.ts';
import { ErrorSchema } from '../../../src/core/api/schemas.ts';
import { type SettingsDto, SettingsSchema } from '../../../src/core/api/settings-schemas.ts';
import type { AppConfig } from '../../../src/core/config.ts';
import { ApiRequestError, UNREACHABLE_STATUS } from './api-request-error.ts';

export type Settings = SettingsDto;
export type RedactedProvider = Settings['config']['providers'][string];
export type ProviderList = z.infer<typeof ProviderListSchema>;
export type ProviderStatus = ProviderList['providers'][number];

export const settingsApi = {
  get(): Promise<Settings> {
    return send('GET', '/api/settings', SettingsSchema);
  },
  /** The whole new config; a provider without `apiKey` keeps the key the file holds. */
  save(config: AppConfig): Promise<Settings> {
    return send('PUT', '/api/settings', SettingsSchema, config);
  },
  providers(): Promise<ProviderList> {
    return send('GET', '/api/providers', ProviderListSchema);
  },
};

// client.ts's request() knows no PUT, and another change to it is in flight; this page's three calls stay
// here until the two can be folded together.
async function send<T>(
  method: 'GET' | 'PUT',
  path: string,
  schema: z.ZodType<T>,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    throw new ApiRequestError(
      UNREACHABLE_STATUS,
      {
        code: 'unreachable',
        message: 'Cannot reach the ModelProgrammer server. Is `mp serve` still running?',
      },
      { cause },
    );
  }
  const text = await response.text();
  const json = parseJson(text);
  if (!response.ok) {
    const error = ErrorSchema.safeParse(json);
    throw new ApiRequestError(
      response.status,
      error.success
        ? error.data.error
        : {
            code: 'http_error',
            message: `The server answered ${response.status} ${response.statusText}`.trim(),
          },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiRequestError(
      response.status,
      {
        code: 'unexpected_response',
        message: `The server's answer to ${method} ${path} has an unexpected shape`,
      },
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (a proxy, a crash page): the callers fall back to a message with the status.
    return undefined;
  }
}
