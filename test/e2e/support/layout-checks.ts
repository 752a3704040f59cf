/**
 * What "nothing is cut off or overlaps" means for a screen, measured in the page (issue 11 item 3): the
 * document does not scroll sideways, no visible control lies over another, none sticks out past the right
 * edge of the page, and none clips its own label. Each finding names the elements, so a failure says where.
 */
import type { Page } from 'playwright-core';

export async function layoutProblems(page: Page, screen: string): Promise<string[]> {
  const found = await page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      problems.push(`the page scrolls sideways: ${root.scrollWidth} px of content in ${root.clientWidth} px`);
    }
    const describe = (element: Element) => {
      const name =
        element.getAttribute('aria-label') ??
        (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40) ??
        '';
      const classes = [...element.classList].slice(0, 2).join('.');
      return `${element.tagName.toLowerCase()}${classes ? `.${classes}` : ''} "${name}"`;
    };
    // The part of an element a person can see: its box cut by every scrolling or clipping box around it.
    const visibleRect = (element: Element) => {
      let { left, top, right, bottom } = element.getBoundingClientRect();
      for (let box = element.parentElement; box !== null; box = box.parentElement) {
        if (getComputedStyle(box).overflow === 'visible') continue;
        const clip = box.getBoundingClientRect();
        left = Math.max(left, clip.left);
        top = Math.max(top, clip.top);
        right = Math.min(right, clip.right);
        bottom = Math.min(bottom, clip.bottom);
      }
      return { left, top, right, bottom, width: right - left, height: bottom - top };
    };
    const controls = [
      ...document.querySelectorAll<HTMLElement>(
        'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"]',
      ),
    ].filter((element) => {
      if (element.closest('[inert]') !== null) return false;
      if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
      const rect = visibleRect(element);
      return rect.width > 0 && rect.height > 0;
    });
    // What is drawn over the page on purpose (a drawer and its backdrop, the inspector on a narrow screen, a
    // modal dialog) is a layer of its own: it covers the page by design (and the page under it is inert).
    const layer = (element: Element): Element | null => {
      for (let box: Element | null = element; box !== null; box = box.parentElement) {
        if (box.matches('dialog[open]') || getComputedStyle(box).position === 'fixed') return box;
      }
      return null;
    };
    const boxes = controls.map((element) => ({ element, rect: visibleRect(element) }));
    for (const { element } of boxes) {
      const rect = element.getBoundingClientRect();
      if (Math.round(rect.right) > root.clientWidth) {
        problems.push(
          `${describe(element)} ends at ${Math.round(rect.right)} px, past ${root.clientWidth} px`,
        );
      }
      const style = getComputedStyle(element);
      const clipsText = style.textOverflow === 'ellipsis' || style.overflowX === 'auto';
      if (!clipsText && style.overflowX !== 'visible' && element.scrollWidth > element.clientWidth + 1) {
        problems.push(
          `${describe(element)} cuts off its content (${element.scrollWidth} > ${element.clientWidth})`,
        );
      }
    }
    for (let first = 0; first < boxes.length; first++) {
      for (let second = first + 1; second < boxes.length; second++) {
        const a = boxes[first]!;
        const b = boxes[second]!;
        if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
        if (layer(a.element) !== layer(b.element)) continue;
        // Visible parts only: a card's button scrolled under the composer is hidden by its list, not overlapping.
        const width = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
        const height = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
        if (width > 1 && height > 1) {
          problems.push(`${describe(a.element)} and ${describe(b.element)} overlap by ${width}×${height} px`);
        }
      }
    }
    return problems;
  });
  return found.map((problem) => `${screen}: ${problem}`);
}
