/**
 * A team server's accounts, for its admins (issue 10 item 3): the same routes `mp user` mirrors, parsed with
 * the server's own schemas (src/core/api/account-schemas.ts).
 */
import {
  type AccountChangeBodyDto,
  type AccountListingDto,
  AccountListingSchema,
  AccountListSchema,
  type NewAccountBodyDto,
} from '../../../src/core/api/account-schemas.ts';
import { request } from './client.ts';

export type AccountListing = AccountListingDto;

export const accountsApi = {
  async list(): Promise<AccountListing[]> {
    return (await request('GET', '/api/accounts', AccountListSchema)).accounts;
  },
  add(body: NewAccountBodyDto): Promise<AccountListing> {
    return request('POST', '/api/accounts', AccountListingSchema, body);
  },
  /** A new password ends that account's sessions; a new role applies from its next request. */
  change(id: string, body: AccountChangeBodyDto): Promise<AccountListing> {
    return request('PATCH', `/api/accounts/${encodeURIComponent(id)}`, AccountListingSchema, body);
  },
  remove(id: string): Promise<void> {
    return request('DELETE', `/api/accounts/${encodeURIComponent(id)}`, null);
  },
};
