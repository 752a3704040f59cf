/**
 * Focus is always visible (issue 11): Tab through a screen as a keyboard user does and, at each stop, the
 * focused element draws an outline at least 2 px wide whose colour stands 3:1 against what is behind it
 * (WCAG 1.4.11's ratio for the parts of a control that identify its state). Each finding names the element.
 */
import type { Page } from 'playwright-core';

/** More stops than any screen has before focus comes round again; the walk ends there or earlier. */
const MAX_STOPS = 120;

export async function focusProblems(page: Page, screen: string): Promise<string[]> {
  const problems: string[] = [];
  let stops = 0;
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    (window as unknown as { focusWalk: WeakSet<Element> }).focusWalk = new WeakSet();
  });
  for (let stop = 0; stop < MAX_STOPS; stop++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(() => {
      const element = document.activeElement;
      if (element === null || element === document.body) return null;
      const walked = (window as unknown as { focusWalk: WeakSet<Element> }).focusWalk;
      if (walked.has(element)) return 'round';
      walked.add(element);
      const classes = [...element.classList].slice(0, 2).join('.');
      const name = (element.getAttribute('aria-label') ?? element.textContent ?? '')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 40);
      const key = `${element.tagName.toLowerCase()}${classes ? `.${classes}` : ''} "${name}"`;
      const rgb = (value: string) => {
        const parts = value.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
        return { r: parts[0] ?? 0, g: parts[1] ?? 0, b: parts[2] ?? 0, a: parts[3] ?? 1 };
      };
      const luminance = (colour: { r: number; g: number; b: number }) => {
        const channel = (value: number) => {
          const c = value / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b);
      };
      const style = getComputedStyle(element);
      const width = Number.parseFloat(style.outlineWidth);
      if (style.outlineStyle === 'none' || !(width >= 2)) {
        return { key, problem: `no focus outline (outline ${style.outlineStyle} ${style.outlineWidth})` };
      }
      // The outline sits outside the element (offset ≥ 0), over its parent's background.
      let backdrop = { r: 255, g: 255, b: 255, a: 1 };
      for (let box = element.parentElement; box !== null; box = box.parentElement) {
        const colour = rgb(getComputedStyle(box).backgroundColor);
        if (colour.a >= 0.5) {
          backdrop = colour;
          break;
        }
      }
      const [light, dark] = [luminance(rgb(style.outlineColor)), luminance(backdrop)].sort((a, b) => b - a);
      const ratio = ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
      if (ratio < 3) {
        return {
          key,
          problem: `focus outline ${style.outlineColor} on ${JSON.stringify(backdrop)}: ${ratio.toFixed(2)}:1`,
        };
      }
      return { key, problem: null };
    });
    if (found === null) continue;
    if (found === 'round') break;
    stops++;
    if (found.problem !== null) problems.push(`${screen}: ${found.key}: ${found.problem}`);
  }
  if (stops === 0) problems.push(`${screen}: Tab reached no control`);
  return problems;
}
