/**
 * Published limits of Claude models, by id prefix (dated ids like `claude-sonnet-4-5-20250929` match their
 * family). Every current Claude model has a 200,000-token window; output caps differ.
 */
const FAMILIES: { prefix: string; maxOutputTokens: number }[] = [
  { prefix: 'claude-opus-4-5', maxOutputTokens: 64_000 },
  { prefix: 'claude-opus-4', maxOutputTokens: 32_000 },
  { prefix: 'claude-sonnet-4', maxOutputTokens: 64_000 },
  { prefix: 'claude-haiku-4', maxOutputTokens: 64_000 },
  { prefix: 'claude-3-7-sonnet', maxOutputTokens: 64_000 },
  { prefix: 'claude-3-5-sonnet', maxOutputTokens: 8192 },
  { prefix: 'claude-3-5-haiku', maxOutputTokens: 8192 },
  { prefix: 'claude-3-haiku', maxOutputTokens: 4096 },
  { prefix: 'claude-3-opus', maxOutputTokens: 4096 },
];

export function anthropicModelSpec(
  model: string,
): { contextWindow: number; maxOutputTokens: number | null; tools: boolean } | null {
  const family = FAMILIES.find((candidate) => model.startsWith(candidate.prefix));
  if (family === undefined) {
    return model.startsWith('claude-')
      ? { contextWindow: 200_000, maxOutputTokens: null, tools: true }
      : null;
  }
  return { contextWindow: 200_000, maxOutputTokens: family.maxOutputTokens, tools: true };
}

/** When a model's own cap is unknown, Anthropic still requires `max_tokens`; this is a safe size for code. */
export const ANTHROPIC_FALLBACK_MAX_TOKENS = 8192;
