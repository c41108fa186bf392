/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) and the sampling helpers the
 * generator needs. Math.random cannot be seeded, and the generator must give the same events
 * for the same seed on every machine.
 */

/** splitmix32 step: a well-mixed 32-bit value from any 32-bit state. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Deterministic 32-bit hash of a few integers (for per-visitor attributes without state). */
export function hash32(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) h = mix32(h ^ mix32(v | 0));
  return h;
}

/** Signed 64-bit decimal string from two 32-bit halves (the stores' BIGINT ids). */
export function int64String(hi: number, lo: number): string {
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString();
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mix32(seed);
    this.b = mix32(this.a ^ 0x1234567);
    this.c = mix32(this.b ^ 0x89abcdef);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next32();
  }

  /** Uniform 32-bit unsigned integer (sfc32). */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** Log-normal with the given median and shape sigma. */
  logNormal(median: number, sigma: number): number {
    const u = 1 - this.float();
    const v = this.float();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * normal);
  }
}

/** Samples indexes by weight in O(log n) (cumulative table + binary search). */
export class WeightedSampler {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    this.total = sum;
  }

  /** Zipf weights 1/rank^s for n items. */
  static zipf(n: number, s: number): WeightedSampler {
    return new WeightedSampler(Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s)));
  }

  sample(prng: Prng): number {
    return this.index(prng.float() * this.total);
  }

  /** Index for a point in [0, total): deterministic use with a hash instead of the stream. */
  index(point: number): number {
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > point) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Index from a 32-bit hash (same distribution as sample()). */
  fromHash(hash: number): number {
    return this.index((hash / 4294967296) * this.total);
  }
}
