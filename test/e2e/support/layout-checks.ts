/**
 * What "nothing is cut off or overlaps" means for a screen, measured in the page (issue 11 item 3): the
 * document does not scroll sideways, no visible control lies over another, none sticks out past the right
 * edge of the page, and no control or label cuts off its text (an ellipsis included; a closed select's chosen
 * option measured against the select's width, since a select reports no overflow). Each finding names the
 * elements, so a failure says where.
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
    }
    // Text cut off inside a control or a label: an ellipsis counts too (the words are still gone). A box that
    // scrolls (a textarea, a log) shows the rest by scrolling, so it is not cut off.
    // A label hidden for sight (`.visually-hidden`, a 1 px clipped box) is read, not seen: not cut off.
    const labels = [...document.querySelectorAll<HTMLElement>('label')].filter((element) => {
      if (element.closest('[inert]') !== null || !element.checkVisibility()) return false;
      const { width, height } = element.getBoundingClientRect();
      return width > 1 && height > 1;
    });
    for (const element of [...controls, ...labels]) {
      const style = getComputedStyle(element);
      if (['visible', 'auto', 'scroll'].includes(style.overflowX)) continue;
      if (element.scrollWidth > element.clientWidth + 1) {
        problems.push(
          `${describe(element)} cuts off its content (${element.scrollWidth} > ${element.clientWidth})`,
        );
      }
    }
    // A closed select draws only its chosen option and reports no overflow of it: measure what that option
    // needs (a copy holding only it, at its natural width, beside the original so the same rules apply).
    for (const select of controls.filter((element) => element instanceof HTMLSelectElement)) {
      const chosen = select.selectedOptions[0];
      if (chosen === undefined) continue;
      const copy = select.cloneNode(false) as HTMLSelectElement;
      copy.append(chosen.cloneNode(true));
      copy.removeAttribute('id');
      copy.setAttribute('aria-hidden', 'true');
      copy.style.cssText = 'position:absolute;visibility:hidden;width:max-content;min-width:0;max-width:none';
      select.after(copy);
      const needed = copy.getBoundingClientRect().width;
      copy.remove();
      const width = select.getBoundingClientRect().width;
      if (needed > width + 1) {
        problems.push(
          `select "${chosen.text.trim()}" is ${Math.round(width)} px wide, its chosen text needs ${Math.round(needed)} px`,
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

/**
 * The share of the window the messages get (issue 11 item 3): on a conversation, the visible part of its
 * message list (or of the empty conversation's notice in its place) is at least `share` of the window's
 * height, so a short window (200% zoom) is not all banner, settings bar and composer.
 */
export async function messageRoomProblems(page: Page, screen: string, share = 0.45): Promise<string[]> {
  const found = await page.evaluate((share) => {
    const list = document.querySelector('.message-list, .conversation-view__empty');
    if (list === null) return ['no message list on the page'];
    let { top, bottom } = list.getBoundingClientRect();
    for (let box = list.parentElement; box !== null; box = box.parentElement) {
      if (getComputedStyle(box).overflow === 'visible') continue;
      const clip = box.getBoundingClientRect();
      top = Math.max(top, clip.top);
      bottom = Math.min(bottom, clip.bottom);
    }
    const seen = Math.max(0, Math.min(bottom, innerHeight) - Math.max(top, 0));
    return seen >= share * innerHeight
      ? []
      : [
          `the messages get ${Math.round(seen)} of ${innerHeight} px (${Math.round((100 * seen) / innerHeight)}%), less than ${Math.round(100 * share)}%`,
        ];
  }, share);
  return found.map((problem) => `${screen}: ${problem}`);
}
