import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { renderBadge, unmountBadge } from '@/components/Badge';
import type { Verdict } from '@/lib/check/types';
import type { Theme } from '@/lib/settings';
import { findAnchor } from '@/lib/sites/anchors';
import type { BadgeHost, BadgePlace } from './controller';

/**
 * The one `<genuine-badge data-verdict="...">` of the page (shared/design/contracts.md), its
 * content in an open shadow root with the badge's stylesheet inside it, placed right after the
 * product's price (lib/sites/anchors.ts) or, when no anchor is found, floating in the corner.
 * Page text reaches it only as Preact text nodes.
 *
 * The stylesheet comes inline with the script (components/badge.css?inline, see run.ts), not as a
 * web-accessible file fetched at run time: that fetch was the longest wait between reading the
 * product and showing the badge on a loading page, and a web-accessible file also lets any page
 * detect the extension. So the host is built synchronously, once, and mounted, moved or removed.
 *
 * The host says where it stands in `data-state`: "checking" while the background has not answered
 * for the product read last, "done" once a verdict (any level, "unknown" included) is drawn.
 * `data-verdict` is always one of the contract's four levels: a badge still waiting for its first
 * answer says "unknown", as the badge always has for a missing verdict.
 */

/** Where the badge floats when the page has no known price element. */
const FLOATING =
  'position:fixed;right:16px;bottom:16px;z-index:2147483646;display:block;max-width:calc(100vw - 32px);';

export interface BadgeHostOptions {
  /** The badge's stylesheet (components/badge.css), put inside the shadow root. */
  css?: string | undefined;
}

export interface ThemedBadgeHost extends BadgeHost {
  /** The shopper's light/dark choice; redraws a shown badge. */
  setTheme(theme: Theme): void;
}

interface Drawn {
  verdict: Verdict | null;
  pageBrand: string | null;
  checking: boolean;
}

interface Ui {
  host: HTMLElement;
  /** Preact's container inside the shadow root. */
  root: HTMLElement;
}

export function createBadgeHost(
  ctx: ContentScriptContext,
  doc: Document,
  options: BadgeHostOptions = {},
): ThemedBadgeHost {
  let ui: Ui | null = null;
  /** The element the badge was put after (null: floating), and for which read. */
  let anchor: Element | null = null;
  let placedFor: BadgePlace | null = null;
  let drawn: Drawn = { verdict: null, pageBrand: null, checking: false };
  let theme: Theme = 'system';

  function build(): Ui {
    const host = doc.createElement('genuine-badge');
    const shadow = host.attachShadow({ mode: 'open' });
    if (options.css) {
      const style = doc.createElement('style');
      style.textContent = options.css;
      shadow.append(style);
    }
    const root = doc.createElement('span');
    shadow.append(root);
    return { host, root };
  }

  function shown(): boolean {
    return ui?.host.isConnected === true;
  }

  function draw(): void {
    if (!ui || !shown()) return;
    ui.host.setAttribute('data-verdict', drawn.verdict?.level ?? 'unknown');
    ui.host.setAttribute('data-state', drawn.checking ? 'checking' : 'done');
    renderBadge(ui.root, {
      verdict: drawn.verdict,
      pageBrand: drawn.pageBrand,
      theme,
      checking: drawn.checking,
    });
  }

  /** Leftovers of an earlier copy of this script (before an extension update): one badge only. */
  function removeOthers(): void {
    for (const el of doc.querySelectorAll('genuine-badge')) if (el !== ui?.host) el.remove();
  }

  function unmount(): void {
    if (ui) {
      unmountBadge(ui.root);
      ui.host.remove();
    }
    anchor = null;
    placedFor = null;
  }

  /** Puts the badge beside the product's price (or floating), moving it if it is elsewhere. */
  function place(where: BadgePlace): void {
    // Placed for this very read (its "checking" state) and still there: no need to look again.
    if (shown() && placedFor === where && (anchor === null || anchor.isConnected)) {
      removeOthers();
      return;
    }
    const next = findAnchor(doc, where.adapter, where.marketplace);
    placedFor = where;
    if (shown() && next === anchor && (next === null || next.nextSibling === ui?.host)) {
      removeOthers();
      return;
    }
    ui ??= build();
    anchor = next;
    if (next) {
      ui.root.removeAttribute('style');
      next.after(ui.host);
    } else {
      ui.root.setAttribute('style', FLOATING);
      (doc.body ?? doc.documentElement).append(ui.host);
    }
    removeOthers();
  }

  function present(next: Drawn, where: BadgePlace): void {
    if (ctx.isInvalid) return;
    drawn = next;
    place(where);
    draw();
  }

  ctx.onInvalidated(() => unmount());

  return {
    remove() {
      unmount();
      removeOthers();
      drawn = { verdict: null, pageBrand: null, checking: false };
    },
    setTheme(next) {
      theme = next;
      draw();
    },
    isShown: shown,
    update(verdict) {
      if (!shown()) return false;
      drawn = { ...drawn, verdict, checking: false };
      draw();
      return true;
    },
    async checking(where) {
      // A badge already shown keeps its last verdict (marked as being checked again) where it is.
      if (shown()) {
        drawn = { ...drawn, pageBrand: where.pageBrand, checking: true };
        draw();
        return;
      }
      present({ verdict: null, pageBrand: where.pageBrand, checking: true }, where);
    },
    async show(verdict, where) {
      present({ verdict, pageBrand: where.pageBrand, checking: false }, where);
    },
  };
}
