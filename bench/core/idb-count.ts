/**
 * Counts IndexedDB writes per object store by wrapping IDBObjectStore.prototype's put, add,
 * delete and clear in the current global (a service worker, a page, or Node with fake-indexeddb).
 * lib/store reaches the object stores through idb's proxies, which call these same prototype
 * methods, so every write the store makes is seen. Reads are not counted.
 */

export type WriteCounts = Record<string, { put: number; add: number; delete: number; clear: number }>;

export interface WriteCounter {
  counts(): WriteCounts;
  /** Writes over all stores, or over the named ones. */
  total(stores?: readonly string[]): number;
  reset(): void;
  /** Puts the original methods back. */
  restore(): void;
}

const METHODS = ['put', 'add', 'delete', 'clear'] as const;
type Method = (typeof METHODS)[number];

export function countWrites(scope: { IDBObjectStore?: { prototype: object } } = globalThis): WriteCounter {
  const proto = scope.IDBObjectStore?.prototype as Record<string, unknown> | undefined;
  if (!proto) throw new Error('IDBObjectStore is not available here');
  let counts: WriteCounts = {};
  const originals = new Map<Method, unknown>();
  for (const method of METHODS) {
    const original = proto[method];
    if (typeof original !== 'function') continue;
    originals.set(method, original);
    proto[method] = function (this: IDBObjectStore, ...args: unknown[]) {
      const name = typeof this?.name === 'string' ? this.name : '?';
      counts[name] ??= { put: 0, add: 0, delete: 0, clear: 0 };
      (counts[name] as Record<Method, number>)[method] += 1;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  }
  return {
    counts: () => JSON.parse(JSON.stringify(counts)) as WriteCounts,
    total(stores) {
      let n = 0;
      for (const [name, c] of Object.entries(counts)) {
        if (stores && !stores.includes(name)) continue;
        n += c.put + c.add + c.delete + c.clear;
      }
      return n;
    },
    reset() {
      counts = {};
    },
    restore() {
      for (const [method, original] of originals) proto[method] = original;
    },
  };
}
