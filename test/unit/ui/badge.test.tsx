import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { Badge, renderBadge, unmountBadge } from '../../../components/Badge';
import type { Level } from '../../../lib/check/types';
import { BRAND, mount, NOW, REASONS, useEnglish, VERDICTS, verdict } from './fixtures';

useEnglish();

const EXPECTED: Record<Level, { label: string; word: string; icon: string }> = {
  ok: { label: 'Genuine: Authorized seller', word: 'Authorized', icon: '✓' },
  caution: { label: 'Genuine: Check this listing', word: 'Check', icon: '?' },
  danger: { label: 'Genuine: Not authorized by the brand', word: 'Not authorized', icon: '!' },
  unknown: { label: 'Genuine: No list for this product', word: 'No list', icon: '·' },
};

function parts(root: ParentNode) {
  const button = root.querySelector<HTMLButtonElement>('button.g-chip');
  const panel = root.querySelector<HTMLElement>('.g-panel');
  if (!button || !panel) throw new Error('badge not rendered');
  return { button, panel, wrapper: root.querySelector<HTMLElement>('.g-badge') };
}

function key(target: EventTarget, k: string) {
  act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true }));
  });
}

describe('Badge', () => {
  for (const level of ['ok', 'caution', 'danger', 'unknown'] as const) {
    it(`shows ${level} with its own icon, word and accessible label`, () => {
      const root = mount(<Badge verdict={VERDICTS[level]} now={NOW} />);
      const { button, wrapper } = parts(root);
      expect(wrapper?.dataset.verdict).toBe(level);
      expect(button.tagName).toBe('BUTTON');
      expect(button.type).toBe('button');
      expect(button.getAttribute('aria-label')).toBe(EXPECTED[level].label);
      expect(button.querySelector('.g-word')?.textContent).toBe(EXPECTED[level].word);
      expect(button.querySelector('.g-icon')?.textContent).toBe(EXPECTED[level].icon);
      expect(button.querySelector('.g-icon')?.getAttribute('aria-hidden')).toBe('true');
      // The accessible label contains the visible word (label in name).
      expect(button.getAttribute('aria-label')).toContain(EXPECTED[level].word);
    });
  }

  it('names the price when the danger comes from the price alone', () => {
    const root = mount(<Badge verdict={verdict('danger', [{ ...REASONS.priceLow, level: 'danger' }])} />);
    expect(parts(root).button.textContent).toContain('Price too low');
  });

  it('says "Not checked" when the page did not show the seller', () => {
    const root = mount(<Badge verdict={verdict('unknown', [REASONS.unreadable])} />);
    expect(parts(root).button.textContent).toContain('Not checked');
  });

  it('is quiet and "unknown" while there is no verdict yet', () => {
    const root = mount(<Badge verdict={null} />);
    const { wrapper, button, panel } = parts(root);
    expect(wrapper?.dataset.verdict).toBe('unknown');
    act(() => button.click());
    expect(panel.textContent).toContain('Genuine has not finished checking this listing.');
  });

  it('discloses the reasons in place and closes with Escape, giving focus back to the button', () => {
    const root = mount(<Badge verdict={VERDICTS.danger} now={NOW} />);
    const { button, panel } = parts(root);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('aria-controls')).toBe(panel.id);
    expect(panel.hidden).toBe(true);

    button.focus();
    act(() => button.click()); // what Enter or Space does on a focused <button>
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(panel.hidden).toBe(false);
    expect(panel.textContent).toContain(
      "Cheap Skates is not on ACME's list of authorized sellers for amazon.com.",
    );
    expect(panel.textContent).toContain("ACME's list, version 42, from acme.example");
    expect(panel.textContent).toContain('synced 3 hours ago');
    const link = panel.querySelector<HTMLAnchorElement>('a');
    expect(link?.href).toBe('https://acme.example/');
    expect(link?.rel).toContain('noopener');

    // Focus moves into the panel (Tab), then Escape closes from there.
    const close = panel.querySelector<HTMLButtonElement>('button.g-close');
    close?.focus();
    key(close ?? panel, 'Escape');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(panel.hidden).toBe(true);
    expect(document.activeElement).toBe(button);
  });

  it('closes with an Escape pressed right after opening, before any render or effect has run', () => {
    const root = mount(<Badge verdict={VERDICTS.danger} now={NOW} />);
    const { button, panel } = parts(root);
    button.focus();
    // Both events in one act(): Preact renders only after it, so nothing was re-rendered between.
    act(() => {
      button.click();
      button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(panel.hidden).toBe(true);
  });

  it('closes with its close button and when the shopper presses elsewhere', () => {
    const root = mount(<Badge verdict={VERDICTS.caution} now={NOW} />);
    const { button, panel } = parts(root);
    act(() => button.click());
    act(() => panel.querySelector<HTMLButtonElement>('button.g-close')?.click());
    expect(panel.hidden).toBe(true);

    act(() => button.click());
    expect(panel.hidden).toBe(false);
    act(() => {
      document.body.dispatchEvent(new Event('pointerdown', { bubbles: true, composed: true }));
    });
    expect(panel.hidden).toBe(true);
  });

  it('ignores Escape while closed, so the shop keeps its own shortcuts', () => {
    const root = mount(<Badge verdict={VERDICTS.ok} now={NOW} />);
    const { button } = parts(root);
    let reached = false;
    document.body.addEventListener('keydown', () => {
      reached = true;
    });
    key(button, 'Escape');
    expect(reached).toBe(true);
  });

  it('renders page text as text, never as markup', () => {
    const hostile = '<img src=x onerror="alert(1)">Evil';
    const v = verdict('danger', [{ ...REASONS.notAuthorized, messageArgs: [hostile, 'ACME', 'amazon.com'] }]);
    const root = mount(<Badge verdict={v} defaultOpen />);
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toContain(hostile);
  });

  it('carries the theme so the shadow styles can follow it', () => {
    const root = mount(<Badge verdict={VERDICTS.ok} theme="dark" />);
    expect(parts(root).wrapper?.dataset.theme).toBe('dark');
  });

  it('sets data-verdict on its <genuine-badge> host when mounted in a shadow root', () => {
    const host = document.createElement('genuine-badge');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    const container = document.createElement('div');
    shadow.append(container);
    act(() => renderBadge(container, { verdict: VERDICTS.caution }));
    expect(host.getAttribute('data-verdict')).toBe('caution');
    act(() => renderBadge(container, { verdict: { ...VERDICTS.ok, brand: BRAND } }));
    expect(host.getAttribute('data-verdict')).toBe('ok');
    expect(shadow.querySelector('button.g-chip')?.getAttribute('aria-label')).toBe(
      'Genuine: Authorized seller',
    );
    act(() => unmountBadge(container));
    expect(shadow.querySelector('button')).toBeNull();
  });
});
