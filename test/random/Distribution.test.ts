/**
 * Duration distributions: sample means and shapes (Kolmogorov-Smirnov against the CDF), CDF and quantile
 * as inverses, `sampleBeyond` as a draw from D | D > elapsed, the equilibrium age of an episode in
 * progress (mean E[D^2] / 2E[D]), and `skip` / `skipBeyond` drawing exactly what `sample` / `sampleBeyond`
 * draw.
 *
 * Statistical tolerances: means within 4 standard errors; KS distance below 1.95 / sqrt(n) (the 0.1%
 * critical value). Streams are seeded, so every test is deterministic.
 */
import gammaFn from "@stdlib/math-base-special-gamma"
import gammaCdf from "@stdlib/stats-base-dists-gamma-cdf"
import normalCdf from "@stdlib/stats-base-dists-normal-cdf"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as D from "../../src/random/Distribution.js"
import { makeStreams } from "../../src/random/Streams.js"

const N = 20_000
const stream = (name: string) => makeStreams(2024)(`test:${name}`)

/** An empirical table with a `from`, a zero-share bin, and uneven widths. */
const EMPIRICAL_BINS = [
  { upTo: 30, share: 0.2 },
  { upTo: 60, share: 0 },
  { upTo: 100, share: 0.5 },
  { upTo: 365, share: 0.3 }
] as const
const EMPIRICAL_FROM = 10

/** Moments of the piecewise-uniform empirical density restricted to (a, inf): mass, int x f, int x^2 f. */
const empiricalTail = (a: number) => {
  let mass = 0
  let m1 = 0
  let m2 = 0
  let lo = EMPIRICAL_FROM
  for (const b of EMPIRICAL_BINS) {
    const from = Math.max(lo, a)
    if (b.upTo > from) {
      const density = b.share / (b.upTo - lo)
      mass += density * (b.upTo - from)
      m1 += (density * (b.upTo ** 2 - from ** 2)) / 2
      m2 += (density * (b.upTo ** 3 - from ** 3)) / 3
    }
    lo = b.upTo
  }
  return { mass, m1, m2 }
}

const weibullMoment = (shape: number, scale: number, k: number) => scale ** k * gammaFn(1 + k / shape)

interface Case {
  readonly name: string
  readonly d: D.Distribution
  readonly mean: number
  readonly variance: number
  readonly continuous: boolean
}
const lognormalCase = (mean: number, sd: number): Case => ({
  name: `lognormal(${mean}, ${sd})`,
  d: D.lognormal(mean, sd),
  mean,
  variance: sd * sd,
  continuous: true
})
const weibullCase = (shape: number, scale: number): Case => {
  const m1 = weibullMoment(shape, scale, 1)
  return {
    name: `weibull(${shape}, ${scale})`,
    d: D.weibull(shape, scale),
    mean: m1,
    variance: weibullMoment(shape, scale, 2) - m1 * m1,
    continuous: true
  }
}
const empiricalMoments = empiricalTail(0)
const CASES: ReadonlyArray<Case> = [
  { name: "exponential(40)", d: D.exponential(40), mean: 40, variance: 1600, continuous: true },
  { name: "gamma(0.5, 30)", d: D.gamma(0.5, 30), mean: 30, variance: 1800, continuous: true },
  { name: "gamma(3, 100)", d: D.gamma(3, 100), mean: 100, variance: 10000 / 3, continuous: true },
  weibullCase(0.7, 200),
  weibullCase(2, 50),
  lognormalCase(300, 250),
  {
    name: "empirical",
    d: D.empirical(EMPIRICAL_FROM, EMPIRICAL_BINS),
    mean: empiricalMoments.m1,
    variance: empiricalMoments.m2 - empiricalMoments.m1 ** 2,
    continuous: true
  },
  { name: "fixed(10)", d: D.fixed(10), mean: 10, variance: 0, continuous: false }
]

const sampleMean = (draw: () => number, n = N) => {
  let s = 0
  let s2 = 0
  for (let i = 0; i < n; i++) {
    const x = draw()
    s += x
    s2 += x * x
  }
  const mean = s / n
  return { mean, se: Math.sqrt(Math.max(0, s2 / n - mean * mean) / n) }
}

describe("distributions: sampling", () => {
  for (const c of CASES) {
    it(`${c.name}: the stated mean is the true mean, and the sample mean is within 4 standard errors`, () => {
      expect(c.d.mean).toBeCloseTo(c.mean, 6)
      const u = stream(c.name)
      const { mean } = sampleMean(() => c.d.sample(u))
      expect(Math.abs(mean - c.mean)).toBeLessThanOrEqual(4 * Math.sqrt(c.variance / N) + 1e-12)
    })
  }

  for (const c of CASES.filter((x) => x.continuous)) {
    it(`${c.name}: samples follow the CDF (Kolmogorov-Smirnov)`, () => {
      const u = stream(`ks:${c.name}`)
      const xs = Float64Array.from({ length: N }, () => c.d.sample(u)).sort()
      let ks = 0
      xs.forEach((x, i) => {
        const f = c.d.cdf(x)
        ks = Math.max(ks, Math.abs(f - i / N), Math.abs(f - (i + 1) / N))
      })
      expect(ks).toBeLessThan(1.95 / Math.sqrt(N))
    })
  }

  it("every sample is a finite number >= 0, even when the uniform is exactly 0", () => {
    // Alea can return exactly 0. A stream that starts with zeros (then goes on normally, so that the
    // gamma sampler's rejection loop can end).
    for (const c of CASES) {
      const rest = stream(`zero:${c.name}`)
      let zeros = 3
      const u = () => (zeros-- > 0 ? 0 : rest())
      const x = c.d.sample(u)
      expect(Number.isFinite(x) && x >= 0, c.name).toBe(true)
    }
  })
})

describe("distributions: skip draws what sample draws", () => {
  /** A stream that counts its draws. */
  const counted = (name: string) => {
    const u = stream(name)
    const c = { draws: 0, u: () => (c.draws++, u()) }
    return c
  }
  const withEquilibrium = [
    ...CASES.map((c) => ({ name: c.name, d: c.d })),
    ...CASES.map((c) => ({ name: `equilibrium-age(${c.name})`, d: D.equilibriumAge(c.d) }))
  ]

  for (const c of withEquilibrium) {
    it(`${c.name}: skip leaves the stream where sample leaves it`, () => {
      const a = counted(`skip:${c.name}`)
      const b = counted(`skip:${c.name}`)
      for (let i = 0; i < 2000; i++) {
        c.d.sample(a.u)
        c.d.skip(b.u)
        expect(b.draws).toBe(a.draws)
      }
      // The next draws agree too.
      expect(b.u()).toBe(a.u())
    })
  }

  it("skipBeyond leaves the stream where sampleBeyond leaves it, for any time already spent", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), fc.double({ min: -10, max: 5000, noNaN: true }), (c, elapsed) => {
        const a = counted(`beyond:${c.name}`)
        const b = counted(`beyond:${c.name}`)
        D.sampleBeyond(c.d, elapsed, a.u)
        D.skipBeyond(c.d, elapsed, b.u)
        expect(b.draws).toBe(a.draws)
      })
    )
  })
})

describe("distributions: cdf and quantile", () => {
  const ps = [1e-4, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999]
  for (const c of CASES.filter((x) => x.continuous)) {
    it(`${c.name}: cdf(quantile(p)) = p and the quantile increases`, () => {
      let prev = -Infinity
      for (const p of ps) {
        const q = c.d.quantile(p)
        expect(Math.abs(c.d.cdf(q) - p), `p = ${p}`).toBeLessThan(1e-9)
        expect(q).toBeGreaterThan(prev)
        prev = q
      }
      expect(c.d.cdf(0)).toBe(0)
      expect(c.d.cdf(-1)).toBe(0)
    })
  }

  it("cdf(quantile(p)) = p for any parameters", () => {
    const dist = fc.oneof(
      fc
        .tuple(fc.double({ min: 0.3, max: 5, noNaN: true }), fc.double({ min: 1, max: 1000, noNaN: true }))
        .map(([k, m]) => D.gamma(k, m)),
      fc
        .tuple(fc.double({ min: 0.5, max: 3, noNaN: true }), fc.double({ min: 1, max: 1000, noNaN: true }))
        .map(([k, s]) => D.weibull(k, s)),
      fc
        .tuple(fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 0.1, max: 2, noNaN: true }))
        .map(([m, cv]) => D.lognormal(m, m * cv)),
      fc.double({ min: 1, max: 1000, noNaN: true }).map((m) => D.exponential(m))
    )
    fc.assert(
      fc.property(dist, fc.double({ min: 0.001, max: 0.999, noNaN: true }), (d, p) => {
        expect(Math.abs(d.cdf(d.quantile(p)) - p)).toBeLessThan(1e-8)
      })
    )
  })

  it("fixed(v): every quantile is v, and the cdf steps from 0 to 1 at v", () => {
    const d = D.fixed(10)
    expect([d.quantile(0), d.quantile(0.5), d.quantile(0.999)]).toEqual([10, 10, 10])
    expect([d.cdf(9.999), d.cdf(10), d.cdf(11)]).toEqual([0, 1, 1])
  })

  it("empirical: uniform within each bin, nothing before `from` or in a zero-share bin", () => {
    const d = D.empirical(EMPIRICAL_FROM, EMPIRICAL_BINS)
    expect(d.cdf(EMPIRICAL_FROM)).toBe(0)
    expect(d.cdf(20)).toBeCloseTo(0.1, 12)
    expect(d.cdf(30)).toBeCloseTo(0.2, 12)
    expect(d.cdf(45)).toBeCloseTo(0.2, 12)
    expect(d.cdf(80)).toBeCloseTo(0.45, 12)
    expect(d.cdf(365)).toBe(1)
    expect(d.quantile(0)).toBe(EMPIRICAL_FROM)
    expect(d.quantile(0.1)).toBeCloseTo(20, 9)
    expect(d.quantile(0.45)).toBeCloseTo(80, 9)
  })
})

describe("distributions: sampleBeyond draws D | D > elapsed", () => {
  it("fixed(10) with 4 days elapsed has exactly 6 days left, whatever the draw", () => {
    const d = D.fixed(10)
    for (const x of [0, 0.3, 0.999999]) expect(D.sampleBeyond(d, 4, () => x)).toBe(6)
    expect(D.sampleBeyond(d, 0, () => 0.5)).toBe(10)
    expect(D.sampleBeyond(d, 10, () => 0.5)).toBe(0)
    expect(D.sampleBeyond(d, 15, () => 0.5)).toBe(0)
  })

  it("past the end of the support the episode ends at once", () => {
    expect(D.sampleBeyond(D.empirical(EMPIRICAL_FROM, EMPIRICAL_BINS), 400, () => 0.5)).toBe(0)
  })

  it("exponential: memoryless, the remaining time has the full mean", () => {
    const d = D.exponential(40)
    const u = stream("beyond:exp")
    const { mean } = sampleMean(() => D.sampleBeyond(d, 100, u))
    expect(Math.abs(mean - 40)).toBeLessThan(4 * (40 / Math.sqrt(N)))
  })

  /** Checks the mean remaining time against the analytic conditional mean E[D | D > a] - a. */
  const checkConditionalMean = (name: string, d: D.Distribution, a: number, expectedRemaining: number) => {
    const u = stream(`beyond:${name}:${a}`)
    let below = 0
    const { mean, se } = sampleMean(() => {
      const r = D.sampleBeyond(d, a, u)
      if (r < 0) below++
      return r
    })
    expect(below).toBe(0)
    expect(
      Math.abs(mean - expectedRemaining),
      `${name} beyond ${a}: mean remaining ${mean}, expected ${expectedRemaining}`
    ).toBeLessThan(4 * se)
  }

  it("gamma: mean remaining time = mean x (1 - F_{k+1}(a)) / (1 - F_k(a)) - a", () => {
    for (const [k, mu, a] of [
      [2, 30, 45],
      [0.5, 30, 10],
      [4, 200, 100]
    ] as const) {
      const rate = k / mu
      const conditional = (mu * (1 - gammaCdf(a, k + 1, rate))) / (1 - gammaCdf(a, k, rate))
      checkConditionalMean(`gamma(${k}, ${mu})`, D.gamma(k, mu), a, conditional - a)
    }
  })

  it("lognormal: mean remaining time from the partial expectation", () => {
    const [mean, sd, a] = [300, 250, 400]
    const sigma2 = Math.log(1 + (sd * sd) / (mean * mean))
    const sigma = Math.sqrt(sigma2)
    const mu = Math.log(mean) - sigma2 / 2
    const z = (Math.log(a) - mu) / sigma
    const conditional = (mean * normalCdf(sigma - z, 0, 1)) / (1 - normalCdf(z, 0, 1))
    checkConditionalMean("lognormal", D.lognormal(mean, sd), a, conditional - a)
  })

  it("weibull: mean remaining time = integral of the survival beyond a / S(a)", () => {
    const [shape, scale, a] = [0.7, 200, 100]
    const S = (x: number) => Math.exp(-Math.pow(x / scale, shape))
    // Trapezium rule out to where S is e^-40.
    const top = scale * Math.pow(40, 1 / shape)
    const steps = 400_000
    const h = (top - a) / steps
    let integral = 0
    for (let i = 0; i < steps; i++) integral += (h * (S(a + i * h) + S(a + (i + 1) * h))) / 2
    checkConditionalMean("weibull", D.weibull(shape, scale), a, integral / S(a))
  })

  it("empirical: mean remaining time from the table, from inside a zero-share bin and inside a bin", () => {
    const d = D.empirical(EMPIRICAL_FROM, EMPIRICAL_BINS)
    for (const a of [50, 70, 5]) {
      const tail = empiricalTail(a)
      checkConditionalMean("empirical", d, a, tail.m1 / tail.mass - Math.max(a, 0))
    }
  })
})

describe("distributions: equilibrium age of an episode in progress", () => {
  const cases: ReadonlyArray<[string, D.Distribution, number]> = [
    ["gamma(2, 30)", D.gamma(2, 30), (30 * (1 + 1 / 2)) / 2],
    ["fixed(10)", D.fixed(10), 5],
    ["lognormal(300, 250)", D.lognormal(300, 250), (250 ** 2 + 300 ** 2) / 600],
    ["weibull(2, 50)", D.weibull(2, 50), weibullMoment(2, 50, 2) / (2 * weibullMoment(2, 50, 1))],
    ["empirical", D.empirical(EMPIRICAL_FROM, EMPIRICAL_BINS), empiricalMoments.m2 / (2 * empiricalMoments.m1)]
  ]
  for (const [name, d, expected] of cases) {
    it(`${name}: mean E[D^2] / 2E[D], and samples to match`, () => {
      const e = D.equilibriumAge(d)
      expect(Math.abs(e.mean - expected) / expected).toBeLessThan(0.005)
      const u = stream(`equilibrium:${name}`)
      const { mean, se } = sampleMean(() => e.sample(u))
      expect(Math.abs(mean - expected)).toBeLessThan(4 * se + 0.005 * expected)
    })
  }

  it("fixed(v): the equilibrium age is uniform on [0, v]", () => {
    // A 2,000-step table of the integrated survival function: exact to about one step (0.005 days here).
    const e = D.equilibriumAge(D.fixed(10))
    expect(Math.abs(e.cdf(2.5) - 0.25)).toBeLessThan(1e-3)
    expect(Math.abs(e.quantile(0.5) - 5)).toBeLessThan(0.01)
    expect(e.quantile(0)).toBe(0)
    expect(e.quantile(0.999999)).toBeLessThanOrEqual(10)
  })

  it("exponential: the equilibrium age is the distribution itself", () => {
    const d = D.exponential(40)
    expect(D.equilibriumAge(d)).toBe(d)
  })
})

describe("wholeDaysWithin", () => {
  // The default borough's sibling spacing (gamma, shape 3, mean 3 years), a gamma with shape below 1, a
  // lognormal and an empirical table: each draw must equal floor(max(quantile(u cdf(room)), 0)) exactly.
  const laws: ReadonlyArray<readonly [string, D.Distribution]> = [
    ["gamma(3, 3 years)", D.gamma(3, 3 * 365.25)],
    ["gamma(0.6, 400)", D.gamma(0.6, 400)],
    ["lognormal(900, 700)", D.lognormal(900, 700)],
    ["empirical", D.empirical(10, EMPIRICAL_BINS)]
  ]
  const exact = (d: D.Distribution, room: number, u: number) => Math.floor(Math.max(d.quantile(u * d.cdf(room)), 0))

  it.each(laws)("gives the exact quantile's whole days for %s, at random and at every edge", (_, d) => {
    const within = D.wholeDaysWithin(d)
    expect(D.wholeDaysWithin(d)).toBe(within)
    const u = stream(`within:${d.kind}`)
    let mismatches = 0
    for (let i = 0; i < 1000; i++) {
      const room = 1 + Math.floor(u() * 6000)
      const v = u()
      if (within(room, v) !== exact(d, room, v)) mismatches++
    }
    // Uniforms that put p on (and a hair either side of) a day's edge F(k), and rooms the table does not hold.
    const room = 150
    for (let k = 0; k < room; k++) {
      const edge = d.cdf(k) / d.cdf(room)
      for (const v of [edge, edge * (1 - 1e-15), edge * (1 + 1e-15), Math.min(edge + 1e-10, 1 - 1e-16)]) {
        if (v < 1 && within(room, v) !== exact(d, room, v)) mismatches++
      }
    }
    for (const [r, v] of [
      [0.5, 0.3],
      [1.5, 0.7],
      [40_000, 0.2],
      [1, 0]
    ] as const) {
      if (within(r, v) !== exact(d, r, v)) mismatches++
    }
    expect(mismatches).toBe(0)
  })
})
