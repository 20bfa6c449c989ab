import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { renderBadge, unmountBadge } from '@/components/Badge';
import type { Verdict } from '@/lib/check/types';
import type { Theme } from '@/lib/settings';
import { findAnchor } from '@/lib/sites/anchors';
import type { BadgeHost, BadgePlace } from './controller';

/**
 * The one `<genuine-badge data-verdict="...">` of the page (shared/design/contracts.md), its
 * content in a shadow root (WXT createShadowRootUi, cssInjectionMode "ui"), placed right after
 * the product's price (lib/sites/anchors.ts) or, when no anchor is found, floating in the corner.
 * Page text reaches it only as Preact text nodes.
 */

/** Where the badge floats when the page has no known price element. */
const FLOATING =
  'position:fixed;right:16px;bottom:16px;z-index:2147483646;display:block;max-width:calc(100vw - 32px);';

export interface BadgeHostOptions {
  /** Extra CSS for the shadow root (the badge's styles on granted shops, see index.ts). */
  css?: string | undefined;
}

export interface ThemedBadgeHost extends BadgeHost {
  /** The shopper's light/dark choice; redraws a shown badge. */
  setTheme(theme: Theme): void;
}

export function createBadgeHost(
  ctx: ContentScriptContext,
  doc: Document,
  options: BadgeHostOptions = {},
): ThemedBadgeHost {
  let ui: ShadowRootContentScriptUi<HTMLElement> | null = null;
  let props: { verdict: Verdict | null; pageBrand: string | null } = { verdict: null, pageBrand: null };
  let theme: Theme = 'system';
  let token = 0;

  function remove(): void {
    token++;
    ui?.remove();
    ui = null;
    // Leftovers of an earlier copy of this script (before an extension update): one badge only.
    for (const el of doc.querySelectorAll('genuine-badge')) el.remove();
  }

  function draw(): void {
    const root = ui?.mounted;
    if (!ui || !root) return;
    ui.shadowHost.setAttribute('data-verdict', props.verdict?.level ?? 'unknown');
    renderBadge(root, { verdict: props.verdict, pageBrand: props.pageBrand, theme });
  }

  return {
    remove,
    setTheme(next) {
      theme = next;
      draw();
    },
    isShown: () => ui?.shadowHost.isConnected === true,
    update(verdict) {
      if (!ui?.shadowHost.isConnected) return false;
      props = { ...props, verdict };
      draw();
      return true;
    },
    async show(verdict, place: BadgePlace) {
      remove();
      const mine = token;
      props = { verdict, pageBrand: place.pageBrand };
      const anchor = findAnchor(doc, place.adapter, place.marketplace);
      const created = await createShadowRootUi<HTMLElement>(ctx, {
        name: 'genuine-badge',
        position: 'inline',
        anchor: anchor ?? doc.body,
        append: anchor ? 'after' : 'last',
        ...(options.css ? { css: options.css } : {}),
        onMount(container) {
          const root = doc.createElement('span');
          if (!anchor) root.setAttribute('style', FLOATING);
          container.append(root);
          return root;
        },
        onRemove(root) {
          if (root) unmountBadge(root);
        },
      });
      // Another show() or remove() came while the styles loaded: this one is stale.
      if (mine !== token || ctx.isInvalid) {
        created.remove();
        return;
      }
      created.mount();
      ui = created;
      draw();
    },
  };
}
