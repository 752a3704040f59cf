import {
  SIGN_IN_CODE_ERRORS,
  SignInCodeAnswerSchema,
  SignInCodeRequestSchema,
} from '../../core/api/session-schemas.ts';
import { type ApiRoute, defineRoute } from '../api-route.ts';
import { AttemptLimit } from '../attempt-limit.ts';
import { HttpError } from '../http-errors.ts';
import { SignInCodes } from '../sign-in-code.ts';

/** Failed code exchanges allowed per minute before the route refuses every attempt for the rest of it. */
const FAILURES_PER_MINUTE = 20;

const FRESH_LINK = 'run `mp url` for a fresh sign-in link, or paste the token from DATA_DIR/token';

const MESSAGES = {
  invalid: `this sign-in link is not valid for this server; ${FRESH_LINK}`,
  expired: `this sign-in link has expired (a link works for 60 seconds); ${FRESH_LINK}`,
  used: `this sign-in link was used already (a link works once); ${FRESH_LINK}`,
} as const;

/**
 * `POST /api/session/code`: a page opened with `#code=…` trades the single-use code for the token
 * (issue 7 item 2). Public, since the page has no token yet; bounded by a small body limit and a count of
 * failures.
 */
export function sessionRoutes(options: { token: string; now?: () => number }): ApiRoute[] {
  const codes = new SignInCodes(options);
  const failures = new AttemptLimit({ limit: FAILURES_PER_MINUTE, windowMs: 60_000, ...options });
  return [
    defineRoute({
      method: 'POST',
      url: '/api/session/code',
      summary:
        'Trade a single-use sign-in code (the `#code=` of the printed link) for the token; no token needed',
      public: true,
      bodyLimit: 1024,
      body: SignInCodeRequestSchema,
      response: SignInCodeAnswerSchema,
      handler: ({ body, reply }) => {
        const waitMs = failures.waitMs();
        if (waitMs > 0) {
          reply.header('Retry-After', String(Math.ceil(waitMs / 1000)));
          throw new HttpError(
            429,
            'too_many_attempts',
            `too many wrong sign-in codes; try again in ${Math.ceil(waitMs / 1000)} s`,
          );
        }
        const check = codes.redeem(body.code);
        if (!check.ok) {
          failures.recordFailure();
          throw new HttpError(401, SIGN_IN_CODE_ERRORS[check.reason], MESSAGES[check.reason]);
        }
        return { token: options.token };
      },
    }),
  ];
}
