import { h, render } from 'preact';
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Verdict } from '../lib/check/types';
import { t } from '../lib/i18n';
import type { Theme } from '../lib/settings';
import { hostOf, safeHref } from '../lib/ui/format';
import { sourceLines } from '../lib/ui/popup-model';
import { LEVEL_ICON, levelOf, verdictLabel, verdictTitle, verdictWord } from '../lib/ui/verdict';
import { ReasonList } from './Reasons';

/**
 * The badge beside the price (shared/design/contracts.md, "In the page and in the popup").
 *
 * Rendered inside the shadow root of `<genuine-badge>` (mounted by the content script with
 * createShadowRootUi, styles from components/badge.css). A real <button> that says what the
 * verdict is in an icon and a word; pressing it discloses the reasons in a panel that overlays the
 * page (the popover top layer where the browser has it, else absolutely positioned), so the shop's
 * layout never moves. Escape or a click elsewhere closes it. Page text is only ever rendered as
 * text (Preact escapes it).
 */
export interface BadgeProps {
  /** null while the check has not answered: shown as "unknown", quietly. */
  verdict: Verdict | null;
  /** The brand as the page spells it, for sentences about brands without a list. */
  pageBrand?: string | null;
  theme?: Theme;
  /** The clock, for "synced 3 hours ago"; defaults to now. */
  now?: Date;
  /** Start with the reasons shown (previews and tests). */
  defaultOpen?: boolean;
  /**
   * The background has not answered for the listing as the page shows it now: the chip says so
   * (to screen readers too, aria-busy) and keeps the last verdict if there is one, else shows a
   * quiet ellipsis instead of a word.
   */
  checking?: boolean;
}

function popoverSupported(element: HTMLElement | null): boolean {
  return element !== null && typeof (element as { showPopover?: unknown }).showPopover === 'function';
}

/** Puts the panel just below the button (above it when there is no room), inside the viewport. */
function place(panel: HTMLElement, anchor: HTMLElement): void {
  const win = anchor.ownerDocument.defaultView;
  if (!win) return;
  const rect = anchor.getBoundingClientRect();
  const margin = 8;
  const width = panel.offsetWidth;
  const height = panel.offsetHeight;
  const left = Math.max(margin, Math.min(rect.left, win.innerWidth - width - margin));
  let top = rect.bottom + 4;
  if (top + height > win.innerHeight - margin && rect.top - 4 - height >= margin) top = rect.top - 4 - height;
  panel.style.left = `${Math.round(left)}px`;
  panel.style.top = `${Math.round(top)}px`;
}

export function Badge({
  verdict,
  pageBrand = null,
  theme = 'system',
  now,
  defaultOpen = false,
  checking = false,
}: BadgeProps) {
  const [open, setOpen] = useState(defaultOpen);
  const rootRef = useRef<HTMLSpanElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const [usePopover, setUsePopover] = useState(false);
  const panelId = `genuine-panel-${useId()}`;
  const level = levelOf(verdict);

  // The contract's attribute lives on the <genuine-badge> host; keep it in step from inside too.
  useLayoutEffect(() => {
    const root = rootRef.current?.getRootNode();
    if (root && 'host' in root && root.host instanceof Element && root.host.localName === 'genuine-badge') {
      root.host.setAttribute('data-verdict', level);
    }
  }, [level]);

  useLayoutEffect(() => {
    setUsePopover(popoverSupported(panelRef.current));
  }, []);

  const close = useCallback((focusButton: boolean) => {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  }, []);

  // Show and place the popover; follow the button while the page scrolls.
  useLayoutEffect(() => {
    const panel = panelRef.current;
    const button = buttonRef.current;
    if (!usePopover || !panel || !button) return;
    const popover = panel as HTMLElement & { showPopover(): void; hidePopover(): void };
    const isOpen = () => panel.matches(':popover-open');
    if (!open) {
      if (isOpen()) popover.hidePopover();
      return;
    }
    if (!isOpen()) popover.showPopover();
    place(panel, button);
    const win = panel.ownerDocument.defaultView;
    const follow = () => place(panel, button);
    win?.addEventListener('scroll', follow, true);
    win?.addEventListener('resize', follow);
    return () => {
      win?.removeEventListener('scroll', follow, true);
      win?.removeEventListener('resize', follow);
    };
  }, [open, usePopover]);

  // A press anywhere outside the badge closes the panel.
  useEffect(() => {
    if (!open) return;
    const doc = rootRef.current?.ownerDocument;
    if (!doc) return;
    const onPointerDown = (event: Event) => {
      const root = rootRef.current;
      if (root && !event.composedPath().includes(root)) close(false);
    };
    doc.addEventListener('pointerdown', onPointerDown, true);
    return () => doc.removeEventListener('pointerdown', onPointerDown, true);
  }, [open, close]);

  // Escape, from the button or from inside the panel, closes and gives focus back to the button.
  // The listener stays attached for the badge's whole life and reads the open state from a ref
  // set in the same event that opens the panel: an Escape pressed right after Enter must not slip
  // through before a render or an effect has run.
  const openRef = useRef(open);
  openRef.current = open;
  useLayoutEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !openRef.current) return;
      event.preventDefault();
      event.stopPropagation();
      openRef.current = false;
      close(true);
    };
    root.addEventListener('keydown', onKeyDown);
    return () => root.removeEventListener('keydown', onKeyDown);
  }, [close]);

  const brand = verdict?.brand ?? null;
  const website = safeHref(brand?.website);
  const source = brand ? sourceLines(brand, now ?? new Date()) : null;
  // Waiting for the first answer: no verdict to name yet, only that Genuine is checking.
  const pending = checking && verdict === null;
  const title = pending ? t('popup_checking') : verdictTitle(verdict);

  return (
    <span
      class="g-badge"
      data-verdict={level}
      data-state={checking ? 'checking' : 'done'}
      data-theme={theme}
      ref={rootRef}
    >
      <button
        ref={buttonRef}
        type="button"
        class="g-chip"
        aria-label={pending ? t('badge_label', title) : verdictLabel(verdict)}
        aria-busy={checking}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          openRef.current = !openRef.current;
          setOpen(openRef.current);
        }}
      >
        <span class="g-icon" aria-hidden="true">
          {pending ? '…' : LEVEL_ICON[level]}
        </span>
        {!pending && <span class="g-word">{verdictWord(verdict)}</span>}
      </button>
      <section
        ref={panelRef}
        id={panelId}
        class={usePopover ? 'g-panel g-popover' : 'g-panel'}
        aria-label={t('badge_panel_label', title)}
        hidden={usePopover ? undefined : !open}
        {...(usePopover ? { popover: 'manual' } : {})}
      >
        <div class="g-panel-head">
          <span class="g-icon" aria-hidden="true">
            {pending ? '…' : LEVEL_ICON[level]}
          </span>
          <strong class="g-panel-title">{title}</strong>
          <button type="button" class="g-close" aria-label={t('badge_close')} onClick={() => close(true)}>
            ×
          </button>
        </div>
        {verdict && verdict.reasons.length > 0 ? (
          <ReasonList verdict={verdict} pageBrand={pageBrand} class="g-reasons" />
        ) : (
          <p class="g-note">{t('badge_not_checked_yet')}</p>
        )}
        {source && (
          <p class="g-source">
            {source.list}
            {source.synced && ` · ${source.synced}`}
          </p>
        )}
        {website && (level === 'danger' || level === 'caution') && (
          <p class="g-action">
            <a href={website} target="_blank" rel="noopener noreferrer">
              {t('action_buy_authorized_link', hostOf(website) ?? website)}
            </a>
          </p>
        )}
        <p class="g-hint">{t('badge_hint_popup')}</p>
      </section>
    </span>
  );
}

/** Renders (or re-renders) the badge into a container, for the content script (a .ts file). */
export function renderBadge(container: Element, props: BadgeProps): void {
  render(h(Badge, props), container);
}

/** Removes the badge rendered by renderBadge. */
export function unmountBadge(container: Element): void {
  render(null, container);
}
