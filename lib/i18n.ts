import { browser } from 'wxt/browser';

/**
 * Every string a person sees goes through `t(key, ...args)`, which is `browser.i18n.getMessage`
 * with the messages of public/_locales/<lang>/messages.json. Substitutions follow the
 * extension i18n rules: a message names its placeholders ($SELLER$), each placeholder's
 * content is a position ($1..$9), and "$$" is a literal dollar sign.
 *
 * Where browser.i18n is not available (unit tests run with a fake browser, a preview page), a
 * catalog can be installed with `setCatalog` and is formatted by the same rules; without either
 * the key itself is returned, so a missing message is visible rather than blank.
 */

export type CatalogEntry = {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
};
export type Catalog = Record<string, CatalogEntry>;

let catalog: Catalog | null = null;

/** Use this catalog instead of browser.i18n (tests, previews). `null` goes back to browser.i18n. */
export function setCatalog(next: Catalog | null): void {
  catalog = next;
}

/** Formats one message like Chrome and Firefox do: named placeholders, then $1..$9, then "$$". */
export function formatMessage(entry: CatalogEntry, args: readonly string[]): string {
  const placeholders = new Map<string, string>();
  for (const [name, value] of Object.entries(entry.placeholders ?? {})) {
    placeholders.set(name.toLowerCase(), value.content);
  }
  const positional = (text: string): string =>
    text.replace(/\$(\d)/g, (_, digit: string) => args[Number(digit) - 1] ?? '');
  return entry.message.replace(
    /\$\$|\$([A-Za-z0-9_@]+)\$|\$(\d)/g,
    (match, name?: string, digit?: string) => {
      if (match === '$$') return '$';
      if (name !== undefined) {
        const content = placeholders.get(name.toLowerCase());
        return content === undefined ? '' : positional(content);
      }
      return args[Number(digit) - 1] ?? '';
    },
  );
}

type GetMessage = (key: string, substitutions?: string[]) => string;

/** The message for `key` in the browser's language, with `args` substituted; the key if there is none. */
export function t(key: string, ...args: (string | number)[]): string {
  const subs = args.map(String);
  if (catalog !== null) {
    const entry = catalog[key];
    return entry === undefined ? key : formatMessage(entry, subs);
  }
  try {
    const getMessage = browser.i18n.getMessage as unknown as GetMessage;
    const message = getMessage(key, subs);
    if (typeof message === 'string' && message !== '') return message;
  } catch {
    // No i18n in this context (a fake browser): fall through to the key.
  }
  return key;
}

/** True when `key` has a message (used for keys that come from data, such as reason codes). */
export function hasMessage(key: string): boolean {
  return t(key) !== key;
}

/** BCP 47 tag of the language the messages are in ("en", "zh-CN"), for lang attributes and Intl. */
export function uiLang(): string {
  const lang = t('lang');
  return lang === 'lang' ? 'en' : lang;
}

/** Sets `<html lang>` and the document title from the messages. */
export function localizeDocument(doc: Document, titleKey = 'extName'): void {
  doc.documentElement.lang = uiLang();
  const title = t(titleKey);
  if (title !== titleKey) doc.title = title;
}
