import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimerService } from '../src/index.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('TimerService', () => {
  it('fires each deadline once, at its time, following moves and removals', () => {
    vi.useFakeTimers({ now: 0 });
    const fired: string[] = [];
    const timers = new TimerService(Date.now, (serial, name, deadline) => fired.push(`${serial}/${name}@${deadline}`));
    timers.sync('A', { silence: 1_000 });
    timers.sync('B', { silence: 500, call: 2_000 });
    timers.sync('A', { silence: 3_000 });
    timers.sync('B', { silence: 500 });
    vi.advanceTimersByTime(600);
    expect(fired).toEqual(['B/silence@500']);
    vi.advanceTimersByTime(2_000);
    expect(fired).toEqual(['B/silence@500']);
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual(['B/silence@500', 'A/silence@3000']);
    expect(timers.size).toBe(0);
  });

  it('fires a deadline that passed while nobody owned the charger at once', () => {
    vi.useFakeTimers({ now: 10_000 });
    const fired: number[] = [];
    const timers = new TimerService(Date.now, (_serial, _name, deadline) => fired.push(deadline));
    timers.sync('A', { silence: 5_000 });
    vi.advanceTimersByTime(0);
    expect(fired).toEqual([5_000]);
  });
});
