/**
 * Summarizes a V8 CPU profile (the CDP Profiler.Profile the `--profile` option records in the
 * service worker): self time per function, so a run says where the time went without opening
 * DevTools. Pure, so it is unit-tested on a hand-made profile.
 */

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface ProfileLike {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  /** "functionName file:line" ("(anonymous)" for unnamed functions; V8's own entries as V8 names them). */
  frame: string;
  ms: number;
  share: number;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (url === '') return name;
  const file = url.slice(url.lastIndexOf('/') + 1);
  return `${name} ${file}:${lineNumber + 1}`;
}

/** Self time per frame, largest first: each sample is charged the time until the next one. */
export function selfTimes(profile: ProfileLike, top = 20): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] ?? -1);
    if (node === undefined) continue;
    // timeDeltas[i] is the gap before sample i; the time a sample stands for is the gap after it.
    const us = deltas[i + 1] ?? 0;
    const key = frameName(node);
    ms.set(key, (ms.get(key) ?? 0) + us / 1000);
    total += us / 1000;
  }
  return [...ms.entries()]
    .map(([frame, t]) => ({ frame, ms: t, share: total > 0 ? t / total : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}
