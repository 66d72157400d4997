// The statistics B5 reports next to its medians (bench/lib/b5-ssr-throughput.mjs): the mean of the
// within-round ratios with a 95 % Student's t interval.
import { describe, expect, it } from 'vitest'
import { meanInterval } from '../../bench/lib/b5-ssr-throughput.mjs'

describe('meanInterval (B5 paired ratios)', () => {
  it('gives the mean and the t interval of a sample (worked example, 5 rounds, t(4) = 2.776)', () => {
    // mean 1.0, sample sd = sqrt(0.025) = 0.158114, half width = 2.776 × 0.158114 / sqrt(5) = 0.196293
    expect(meanInterval([0.8, 0.9, 1.0, 1.1, 1.2])).toEqual({ mean: 1, low: 0.804, high: 1.196, n: 5 })
  })

  it('has no interval for a single round', () => {
    expect(meanInterval([1.25])).toEqual({ mean: 1.25, low: null, high: null, n: 1 })
  })

  it('narrows with more rounds of the same spread (t quantile and sqrt(n))', () => {
    const two = meanInterval([0.9, 1.1])
    const six = meanInterval([0.9, 1.1, 0.9, 1.1, 0.9, 1.1])
    expect(two.high! - two.low!).toBeGreaterThan(six.high! - six.low!)
    expect(two).toEqual({ mean: 1, low: -0.271, high: 2.271, n: 2 })
  })
})
