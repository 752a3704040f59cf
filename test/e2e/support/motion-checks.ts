/**
 * Every element of a page (and its ::before/::after) that would move: a CSS animation that runs or a
 * transition longer than `limitSeconds`. Under `prefers-reduced-motion: reduce` the list must be empty
 * (issue 11 item 3); without it, the same walk shows the test looks at elements that do move.
 */
import type { Page } from 'playwright-core';

export interface Motion {
  element: string;
  property: 'animation' | 'transition';
  seconds: number;
}

export async function movingElements(page: Page, limitSeconds = 0.01): Promise<Motion[]> {
  return page.evaluate((limit) => {
    const seconds = (list: string) =>
      Math.max(
        0,
        ...list.split(',').map((value) => {
          const text = value.trim();
          return text.endsWith('ms') ? Number.parseFloat(text) / 1000 : Number.parseFloat(text);
        }),
      );
    const describe = (element: Element, pseudo: string) => {
      const classes = [...element.classList].slice(0, 3).join('.');
      return `${element.tagName.toLowerCase()}${classes ? `.${classes}` : ''}${pseudo}`;
    };
    const found: Motion[] = [];
    for (const element of document.querySelectorAll('*')) {
      for (const pseudo of ['', '::before', '::after']) {
        const style = getComputedStyle(element, pseudo || null);
        if (pseudo !== '' && (style.content === 'none' || style.content === 'normal')) continue;
        const animation = style.animationName === 'none' ? 0 : seconds(style.animationDuration);
        if (animation > limit) {
          found.push({ element: describe(element, pseudo), property: 'animation', seconds: animation });
        }
        const transition = seconds(style.transitionDuration);
        if (style.transitionProperty !== 'none' && transition > limit) {
          found.push({ element: describe(element, pseudo), property: 'transition', seconds: transition });
        }
      }
    }
    return found;
  }, limitSeconds);
}
