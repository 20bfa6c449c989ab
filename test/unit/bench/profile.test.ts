import { describe, expect, it } from 'vitest';
import { selfTimes } from '../../../bench/core/profile';

describe('selfTimes (the --profile summary)', () => {
  it('charges each sample the gap after it, per function and file, largest first', () => {
    const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, url, lineNumber });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
        { id: 2, callFrame: frame('(idle)') },
        { id: 3, callFrame: frame('importFeed', 'chrome-extension://x/background.js', 9) },
        { id: 4, callFrame: frame('', 'chrome-extension://x/background.js', 41) },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [3, 3, 2, 4, 3],
      // Gaps before each sample (µs); the last sample has none after it and counts for nothing.
      timeDeltas: [0, 1000, 2000, 4000, 500],
    };
    expect(selfTimes(profile)).toEqual([
      { frame: '(idle)', ms: 4, share: 4 / 7.5 },
      { frame: 'importFeed background.js:10', ms: 3, share: 3 / 7.5 },
      { frame: '(anonymous) background.js:42', ms: 0.5, share: 0.5 / 7.5 },
    ]);
    expect(selfTimes(profile, 1)).toHaveLength(1);
    expect(selfTimes({ nodes: [], startTime: 0, endTime: 0 })).toEqual([]);
  });
});
