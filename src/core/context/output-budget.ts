import type { OutputBudget, TokenCount } from '../provider.ts';

export interface OutputBudgetOptions {
  model: string;
  input: TokenCount;
  contextWindow: number;
  /** What the person set for this conversation, if anything. */
  requestedMaxOutputTokens?: number | undefined;
  /** The model's own output cap, when known. */
  modelMaxOutputTokens?: number | null | undefined;
  /** Anthropic requires `max_tokens`; others may leave it out and use the rest of the window. */
  requireMaxOutputTokens?: boolean;
  /** Below this many tokens left for the answer, the request is refused rather than sent. */
  minimumOutputTokens?: number;
}

export const DEFAULT_MINIMUM_OUTPUT_TOKENS = 256;

/**
 * Room kept free when the input count is an estimate: other tokenizers differ from o200k by several per cent
 * (measured on code and prose), and a request that overflows by one token is rejected whole.
 */
export function estimateMargin(input: TokenCount): number {
  return input.exact ? 0 : Math.ceil(input.tokens * 0.1);
}

/**
 * How many tokens the answer may use, or why the conversation does not fit. Never cuts anything: the
 * caller shows the message (with the numbers) and the person decides what to uncheck.
 *
 * @example
 * computeOutputBudget({ model: 'gpt-4', input: { tokens: 8000, exact: true, method: 'o200k' }, contextWindow: 8192 })
 * // { fits: false, message: 'This conversation needs 8,000 tokens of gpt-4’s 8,192-token window, …' }
 */
export function computeOutputBudget(options: OutputBudgetOptions): OutputBudget {
  const { input, contextWindow, model } = options;
  const margin = estimateMargin(input);
  const available = Math.max(0, contextWindow - input.tokens - margin);
  const requested = options.requestedMaxOutputTokens;
  const minimum = Math.min(
    options.minimumOutputTokens ?? DEFAULT_MINIMUM_OUTPUT_TOKENS,
    requested ?? Infinity,
  );

  if (available < minimum) {
    const estimated = input.exact
      ? ''
      : ` (estimated, plus ${format(margin)} kept free for the estimate's error)`;
    return {
      fits: false,
      inputTokens: input.tokens,
      contextWindow,
      available,
      minimumOutputTokens: minimum,
      message:
        `This conversation needs ${format(input.tokens)} tokens${estimated} of ${model}'s ` +
        `${format(contextWindow)}-token context window, leaving ${format(available)} for the answer; ` +
        `at least ${format(minimum)} are needed. Uncheck or delete earlier messages, lower the maximum ` +
        'output tokens, or choose a model with a larger context window.',
    };
  }

  const modelCap = options.modelMaxOutputTokens ?? null;
  let cap: number | null = requested ?? null;
  if (cap === null && options.requireMaxOutputTokens) cap = modelCap ?? available;
  if (cap !== null && modelCap !== null) cap = Math.min(cap, modelCap);
  if (cap !== null) cap = Math.min(cap, available);
  return { fits: true, inputTokens: input.tokens, contextWindow, available, maxOutputTokens: cap };
}

function format(value: number): string {
  return value.toLocaleString('en-US');
}
