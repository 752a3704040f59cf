/**
 * axe-core (from the npm registry) run inside a page, keeping the violations a person would be stopped by:
 * impact serious or critical under the WCAG 2.0 A/AA and 2.1 AA rules (issue 11; docs/decisions.md says why
 * this rule set). Each one is reported with its rule, impact, the elements' selectors and what is wrong, so a
 * failing test says what to fix without a rerun.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Best-practice rules for what issue 11 asks beyond WCAG's letter (a top-level heading, landmarks that hold
 * all the content, headings in order, no two landmarks of one role with the same name); axe rates them
 * moderate, so they fail at any impact.
 */
export const STRUCTURE_RULES = [
  'page-has-heading-one',
  'landmark-one-main',
  'landmark-no-duplicate-main',
  'landmark-no-duplicate-banner',
  'landmark-banner-is-top-level',
  'landmark-main-is-top-level',
  'landmark-unique',
  'region',
  'heading-order',
  'empty-heading',
];

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/** One line per failing element: `rule (impact) selector: summary`. Empty when the screen is clean. */
export async function auditPage(page: Page, screen: string): Promise<string[]> {
  // The app's CSP allows only its own scripts, so a <script> tag with axe's text would be refused; evaluate
  // runs it through the DevTools protocol, which the page's policy does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${AXE_SOURCE}\n;true`);
  const { violations, headings } = await page.evaluate(
    async ({ tags, structure }) => {
      const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } }).axe;
      const result = (await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        rules: Object.fromEntries(structure.map((rule) => [rule, { enabled: true }])),
        resultTypes: ['violations'],
      })) as { violations: AxeViolation[] };
      // Exactly one: axe's rule asks for at least one. Hidden ones (display: none, a hidden <main>) don't count.
      const headings = [...document.querySelectorAll('h1')]
        .filter((heading) => heading.checkVisibility() || heading.closest('.visually-hidden') !== null)
        .map((heading) => heading.textContent ?? '');
      return {
        headings,
        violations: result.violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          nodes: violation.nodes.map((node) => ({
            target: node.target,
            failureSummary: node.failureSummary ?? '',
          })),
        })),
      };
    },
    { tags: AXE_TAGS, structure: STRUCTURE_RULES },
  );
  const lines: string[] = [];
  if (headings.length !== 1) {
    lines.push(
      `${screen}: ${headings.length} visible <h1> elements instead of one: ${JSON.stringify(headings)}`,
    );
  }
  for (const violation of violations) {
    const serious = violation.impact === 'serious' || violation.impact === 'critical';
    if (!serious && !STRUCTURE_RULES.includes(violation.id)) continue;
    for (const node of violation.nodes) {
      const summary = node.failureSummary.replace(/\s+/g, ' ').trim();
      lines.push(
        `${screen}: ${violation.id} (${violation.impact}) ${JSON.stringify(node.target)}: ${violation.help}. ${summary}`,
      );
    }
  }
  return lines;
}
