/**
 * Signing a page in (issue 7 item 2): the one-time code from the URL fragment is traded for the instance token,
 * which the page then sends as `Authorization: Bearer`.
 */
import { z } from 'zod';

export const SignInCodeRequestSchema = z.strictObject({ code: z.string().min(1).max(200) });

export const SignInCodeAnswerSchema = z.object({ token: z.string() });

/** The error codes a refused code answers with (401), so the page can say what happened. */
export const SIGN_IN_CODE_ERRORS = {
  invalid: 'sign_in_code_invalid',
  expired: 'sign_in_code_expired',
  used: 'sign_in_code_used',
} as const;
