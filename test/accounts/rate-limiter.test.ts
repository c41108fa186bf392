import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../../src/accounts/rate-limiter.js';
import { fixedClock } from '../../src/clock.js';

test('the limiter allows max attempts per window and key, then answers rate_limited until the window ends', () => {
  const clock = fixedClock(1_000_000);
  const limiter = new RateLimiter(clock, { max: 3, windowMs: 60_000 }, 'login attempts');
  for (let i = 0; i < 3; i++) limiter.hit('1.2.3.4');
  assert.throws(() => limiter.hit('1.2.3.4'), (err: { code?: string; message?: string }) => err.code === 'rate_limited' && /try again in 60 s/.test(err.message ?? ''));
  limiter.hit('5.6.7.8'); // other keys are independent
  clock.advance(60_000);
  limiter.hit('1.2.3.4'); // a new window
  limiter.hit('1.2.3.4');
  limiter.reset('1.2.3.4');
  for (let i = 0; i < 3; i++) limiter.hit('1.2.3.4');
});
