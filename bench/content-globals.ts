// WXT auto-imports `defineContentScript` into entrypoints; bench/content-bundle.ts injects it from here.
export { defineContentScript } from 'wxt/utils/define-content-script';
