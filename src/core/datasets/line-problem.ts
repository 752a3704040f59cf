/**
 * What a validator says about one line (issue 9 item 3): nothing, or why it must not be written. `empty`
 * is a line with nothing to learn from (no assistant turn, or every one weighted 0); `invalid` breaks the
 * format's rules. Both are counted in the summary; invalid ones are also listed with their problem.
 */
export interface LineProblem {
  reason: 'invalid' | 'empty';
  problem: string;
}

export function invalid(problem: string): LineProblem {
  return { reason: 'invalid', problem };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
