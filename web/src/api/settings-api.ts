/**
 * The Settings page's routes: the config file (keys never come back, only `hasApiKey`) and the provider list.
 * Parsed with the server's own schemas, like every answer in client.ts.
 */
import {
  type SettingsDto,
  SettingsSchema,
  type UpdateSettings,
} from '../../../src/core/api/settings-schemas.ts';
import { request } from './client.ts';
import { modelApi } from './model-api.ts';

export type Settings = SettingsDto;
export type RedactedProvider = Settings['config']['providers'][string];
export type { ProviderList, ProviderStatus } from './model-api.ts';

export const settingsApi = {
  get(): Promise<Settings> {
    return request('GET', '/api/settings', SettingsSchema);
  },
  /** The whole new config; a provider without `apiKey` keeps its saved key unless named in `removeApiKeys`. */
  save(config: UpdateSettings): Promise<Settings> {
    return request('PUT', '/api/settings', SettingsSchema, config);
  },
  providers: modelApi.providers,
};
