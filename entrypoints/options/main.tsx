import '../../components/page.css';
import { render } from 'preact';
import { OptionsApp } from '../../components/Options';
import { keyFingerprint } from '../../lib/feed/keys';
import { localizeDocument } from '../../lib/i18n';
import { getTheme, watchTheme } from '../../lib/settings';
import { createPageApi } from '../../lib/ui/client';
import { browserHostPermissions } from '../../lib/ui/permissions';

localizeDocument(document, 'options_title');
const applyTheme = (theme: string) => {
  document.documentElement.dataset.theme = theme;
};
getTheme().then(applyTheme, () => undefined);
watchTheme(applyTheme);

const app = document.getElementById('app');
if (app) {
  render(
    <OptionsApp
      api={createPageApi()}
      permissions={browserHostPermissions}
      fingerprint={keyFingerprint}
      onTheme={applyTheme}
    />,
    app,
  );
}
