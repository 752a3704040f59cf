import { describe, expect, it } from 'vitest';
import { computeOutputBudget } from './output-budget.ts';

const exact = (tokens: number) => ({ tokens, exact: true, method: 'o200k chat format' });

describe('computeOutputBudget', () => {
  it('refuses with the numbers instead of the original’s "you requested 4097 tokens"', () => {
    const budget = computeOutputBudget({ model: 'gpt-3.5-turbo', input: exact(4000), contextWindow: 4097 });
    expect(budget.fits).toBe(false);
    if (budget.fits) return;
    expect(budget).toMatchObject({
      inputTokens: 4000,
      contextWindow: 4097,
      available: 97,
      minimumOutputTokens: 256,
    });
    expect(budget.message).toContain('4,000 tokens');
    expect(budget.message).toContain("gpt-3.5-turbo's 4,097-token context window");
    expect(budget.message).toContain('leaving 97 for the answer');
    expect(budget.message).toContain('Uncheck or delete');
  });

  it('clamps the requested output to what the window leaves', () => {
    const budget = computeOutputBudget({
      model: 'm',
      input: exact(3000),
      contextWindow: 4096,
      requestedMaxOutputTokens: 2000,
    });
    expect(budget).toMatchObject({ fits: true, maxOutputTokens: 1096, available: 1096 });
  });

  it('leaves the cap out when nobody asked for one and the API does not need it', () => {
    expect(computeOutputBudget({ model: 'm', input: exact(10), contextWindow: 1000 })).toMatchObject({
      fits: true,
      maxOutputTokens: null,
    });
  });

  it('fills in a required cap from the model’s own limit, within the window', () => {
    const base = { model: 'claude', input: exact(1000), requireMaxOutputTokens: true };
    expect(
      computeOutputBudget({ ...base, contextWindow: 200_000, modelMaxOutputTokens: 64_000 }),
    ).toMatchObject({
      maxOutputTokens: 64_000,
    });
    expect(
      computeOutputBudget({ ...base, contextWindow: 20_000, modelMaxOutputTokens: 64_000 }),
    ).toMatchObject({
      maxOutputTokens: 19_000,
    });
    expect(computeOutputBudget({ ...base, contextWindow: 20_000, modelMaxOutputTokens: null })).toMatchObject(
      {
        maxOutputTokens: 19_000,
      },
    );
  });

  it('keeps ten per cent free when the count is an estimate, and says so', () => {
    const input = { tokens: 1000, exact: false, method: 'estimate (o200k)' };
    expect(computeOutputBudget({ model: 'm', input, contextWindow: 2000 })).toMatchObject({ available: 900 });
    const tight = computeOutputBudget({ model: 'm', input, contextWindow: 1200 });
    expect(tight.fits).toBe(false);
    if (!tight.fits) expect(tight.message).toContain('estimated, plus 100 kept free');
  });

  it('accepts a small requested output in a nearly full window', () => {
    const budget = computeOutputBudget({
      model: 'm',
      input: exact(4000),
      contextWindow: 4096,
      requestedMaxOutputTokens: 50,
    });
    expect(budget).toMatchObject({ fits: true, maxOutputTokens: 50 });
  });
});
