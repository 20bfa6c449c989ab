// fake-indexeddb/auto installs every IndexedDB class (IDBRequest, IDBKeyRange, ...) that idb needs.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

// A fresh browser and a fresh IndexedDB for every test, so no test sees another's state.
beforeEach(() => {
  fakeBrowser.reset();
  globalThis.indexedDB = new IDBFactory();
});
