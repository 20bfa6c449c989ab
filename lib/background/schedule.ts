/**
 * One alarm drives all background work (list sync and the report queue). It is re-created at
 * every start-up (alarms do not survive every kind of restart, and a stale one may point to the
 * past) and after every run, at the earliest time either job next has something to do.
 */

export const WORK_ALARM = 'genuine-work';
/** Chrome refuses alarms sooner than 30 s from now (and rounds them up); Firefox allows less. */
export const MIN_DELAY_MS = 30_000;
/** Even with nothing scheduled, look again within a day (a fresh directory may list new brands). */
export const MAX_DELAY_MS = 24 * 3_600_000;
/** First sync after install when it is not run right away. */
export const FIRST_SYNC_DELAY_MS = 60_000;

export interface AlarmsApi {
  create(
    name: string,
    info: { when?: number; delayInMinutes?: number; periodInMinutes?: number },
  ): void | Promise<void>;
  clear(name: string): Promise<boolean>;
  get(name: string): Promise<{ name: string; scheduledTime: number } | undefined>;
}

/** When the alarm should fire: the earliest wake-up, clamped to [now + 30 s, now + 24 h]. */
export function nextAlarmTime(wakeups: readonly (Date | null)[], now: Date): number {
  const floor = now.getTime() + MIN_DELAY_MS;
  const ceiling = now.getTime() + MAX_DELAY_MS;
  let earliest = ceiling;
  for (const w of wakeups) {
    if (w === null) continue;
    const t = w.getTime();
    if (Number.isFinite(t) && t < earliest) earliest = t;
  }
  return Math.min(ceiling, Math.max(floor, earliest));
}

/** (Re)creates the single work alarm at `when` (creating an alarm of the same name replaces it). */
export async function setWorkAlarm(alarms: AlarmsApi, when: number): Promise<void> {
  await alarms.create(WORK_ALARM, { when });
}
