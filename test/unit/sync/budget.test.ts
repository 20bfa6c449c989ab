import { describe, expect, it } from 'vitest';
import { Budget } from '../../../lib/sync/gate';

/** The import budget: fetched feeds hold their size until imported, first come first served. */
describe('Budget', () => {
  it('grants while it fits, then in order as room is given back', async () => {
    const budget = new Budget(10);
    const order: string[] = [];
    const a = await budget.acquire(6);
    const b = budget.acquire(6).then((n) => {
      order.push('b');
      return n;
    });
    // Small, but behind b: it waits too (no overtaking, so a big feed cannot starve).
    const c = budget.acquire(1).then((n) => {
      order.push('c');
      return n;
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    budget.release(a);
    expect(await b).toBe(6);
    expect(await c).toBe(1);
    expect(order).toEqual(['b', 'c']);
  });

  it('a request larger than the whole budget waits for everything else, then goes alone', async () => {
    const budget = new Budget(10);
    const small = await budget.acquire(3);
    let granted = false;
    const big = budget.acquire(50).then((n) => {
      granted = true;
      return n;
    });
    await Promise.resolve();
    expect(granted).toBe(false);
    budget.release(small);
    expect(await big).toBe(10);
    // Zero and fractions still take at least one unit, so every release matches its acquire.
    budget.release(10);
    expect(await budget.acquire(0)).toBe(1);
  });
});
