import '../../components/page.css';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { PopupApp } from '../../components/Popup';
import { localizeDocument } from '../../lib/i18n';
import { getTheme, watchTheme } from '../../lib/settings';
import { createPageApi } from '../../lib/ui/client';

// popup.html shows the active tab; popup.html?tabId=<id> shows that tab (opened as a page by tests).
// The app renders <main class="popup" data-verdict="…">; #app mirrors the same data-verdict.
localizeDocument(document);
const applyTheme = (theme: string) => {
  document.documentElement.dataset.theme = theme;
};
getTheme().then(applyTheme, () => undefined);
watchTheme(applyTheme);

const rawTabId = new URLSearchParams(location.search).get('tabId');
const tabId = rawTabId !== null && /^\d{1,12}$/.test(rawTabId) ? Number(rawTabId) : null;

async function activeTabId(): Promise<number | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

const app = document.getElementById('app');
if (app) {
  render(
    <PopupApp
      api={createPageApi()}
      tabId={tabId}
      activeTabId={activeTabId}
      onOpenOptions={() => {
        browser.runtime.openOptionsPage().then(
          () => window.close(),
          () => undefined,
        );
      }}
      onLevel={(level) => {
        if (level) app.dataset.verdict = level;
        else delete app.dataset.verdict;
      }}
    />,
    app,
  );
}
