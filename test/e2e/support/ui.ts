import type { ElementHandle, Page } from 'puppeteer-core';
import { POLL_MS } from './browsers';

/**
 * Finding things the way a person (or a screen reader) names them, in Chromium and Firefox alike:
 * plain DOM queries run in the page, so nothing depends on CDP-only accessibility queries.
 */

/** The page's visible text, whitespace collapsed. */
export async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => (document.body?.innerText ?? '').replace(/\s+/g, ' ').trim());
}

/** Waits until the page's visible text contains a string; returns the text. */
export async function waitForText(page: Page, text: string, timeout = 15_000): Promise<string> {
  await page.waitForFunction(
    (t: string) => (document.body?.innerText ?? '').replace(/\s+/g, ' ').includes(t),
    { timeout, polling: POLL_MS },
    text,
  );
  return visibleText(page);
}

/** The button whose accessible name (aria-label, else its text) is exactly `name`. */
export async function buttonByName(
  page: Page,
  name: string,
  timeout = 15_000,
): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (n: string) =>
      [...document.querySelectorAll('button, [role="button"], input[type="submit"]')].find((b) => {
        const label =
          b.getAttribute('aria-label') ?? (b instanceof HTMLInputElement ? b.value : b.textContent);
        return (label ?? '').replace(/\s+/g, ' ').trim() === n;
      }) ?? null,
    { timeout, polling: POLL_MS },
    name,
  );
  const el = handle.asElement();
  if (!el) throw new Error(`no button named "${name}"`);
  return el as ElementHandle<Element>;
}

/**
 * Types into the form field whose <label> text is exactly `label` (clicking it first, as a person
 * would). Works on the page's own element, so Firefox's focus checks accept it.
 */
export async function typeIntoField(
  page: Page,
  label: string,
  text: string,
  timeout = 15_000,
): Promise<void> {
  const handle = await page.waitForFunction(
    (l: string) => {
      for (const lab of document.querySelectorAll('label')) {
        if ((lab.textContent ?? '').replace(/\s+/g, ' ').trim() !== l) continue;
        const id = lab.getAttribute('for');
        const field = id ? document.getElementById(id) : lab.querySelector('input, textarea, select');
        if (field) {
          if (!field.id) field.id = `e2e-field-${Math.random().toString(36).slice(2)}`;
          return field.id;
        }
      }
      return null;
    },
    { timeout, polling: POLL_MS },
    label,
  );
  const id = String(await handle.jsonValue());
  const selector = `[id="${id.replace(/"/g, '\\"')}"]`;
  await page.click(selector);
  await page.type(selector, text);
}

export interface Focused {
  /** Local names of the shadow hosts the focus is inside, outermost first (["genuine-badge"]). */
  hosts: string[];
  tag: string;
  name: string;
}

/** What has the keyboard focus, looking through shadow roots. */
export async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const hosts: string[] = [];
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) {
      hosts.push(el.localName);
      el = el.shadowRoot.activeElement;
    }
    const name = el
      ? (el.getAttribute('aria-label') ?? (el.textContent ?? '').replace(/\s+/g, ' ').trim()).slice(0, 200)
      : '';
    return { hosts, tag: el?.localName ?? '', name };
  });
}

/**
 * Presses Tab from the top of the page until `accept` says the focused element is the one
 * wanted; fails after `max` presses. Returns how many presses it took.
 */
export async function tabTo(page: Page, accept: (f: Focused) => boolean, max = 60): Promise<number> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const seen: string[] = [];
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (accept(f)) return i;
    seen.push(`${f.hosts.join('>')}${f.hosts.length ? '>' : ''}${f.tag}:${f.name.slice(0, 40)}`);
  }
  throw new Error(`not reached with ${max} Tab presses; focus went through: ${seen.join(' | ')}`);
}
