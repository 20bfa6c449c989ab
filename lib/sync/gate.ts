/**
 * A first-come first-served reader/writer gate. Feed syncs share it (several run at once); the
 * directory sync, adding and removing feeds hold it alone, so that a feed sync that started before
 * the directory dropped its feed cannot write the feed back afterwards.
 */
export class Gate {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: { exclusive: boolean; grant: () => void }[] = [];

  async run<T>(exclusive: boolean, task: () => Promise<T>): Promise<T> {
    await this.acquire(exclusive);
    try {
      return await task();
    } finally {
      this.release(exclusive);
    }
  }

  private acquire(exclusive: boolean): Promise<void> {
    if (this.waiting.length === 0 && this.fits(exclusive)) {
      this.take(exclusive);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push({ exclusive, grant: resolve }));
  }

  private fits(exclusive: boolean): boolean {
    return exclusive ? !this.exclusive && this.shared === 0 : !this.exclusive;
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.exclusive = true;
    else this.shared++;
  }

  private release(exclusive: boolean): void {
    if (exclusive) this.exclusive = false;
    else this.shared--;
    for (let next = this.waiting[0]; next && this.fits(next.exclusive); next = this.waiting[0]) {
      this.waiting.shift();
      this.take(next.exclusive);
      next.grant();
    }
  }
}

/**
 * A first-come first-served counting semaphore over a weight (feed syncs in flight, or bytes of
 * fetched feeds not yet imported). A request larger than the capacity is cut to the capacity, so
 * that it waits for everything else to finish rather than forever.
 */
export class Budget {
  private used = 0;
  private readonly waiting: { amount: number; grant: () => void }[] = [];

  constructor(readonly capacity: number) {}

  /** Takes `amount` (at least 1, at most the capacity); returns what was taken, for `release`. */
  async acquire(amount: number): Promise<number> {
    const take = Math.min(this.capacity, Math.max(1, Math.ceil(amount)));
    if (this.waiting.length === 0 && this.used + take <= this.capacity) {
      this.used += take;
      return take;
    }
    await new Promise<void>((grant) => this.waiting.push({ amount: take, grant }));
    return take;
  }

  release(taken: number): void {
    this.used -= taken;
    for (
      let next = this.waiting[0];
      next && this.used + next.amount <= this.capacity;
      next = this.waiting[0]
    ) {
      this.waiting.shift();
      this.used += next.amount;
      next.grant();
    }
  }
}
