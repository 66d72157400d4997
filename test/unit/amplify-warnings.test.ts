// Amplify's "custom Cognito endpoint" warning is shown once per process for each pool kind; every
// other console.warn passes through unchanged, with its arguments.
import { afterAll, describe, expect, it } from 'vitest'
import { warnCustomEndpointsOnce } from '../../src/runtime/shared/amplify-warnings'

const original = console.warn
const shown: unknown[][] = []
console.warn = (...args: unknown[]) => void shown.push(args)
const capture = console.warn

afterAll(() => {
  console.warn = original
})

describe('warnCustomEndpointsOnce', () => {
  it('shows each custom endpoint warning once, and every other warning each time', () => {
    warnCustomEndpointsOnce()
    const wrapped = console.warn
    warnCustomEndpointsOnce() // a second plugin run does not wrap it again
    expect(console.warn).toBe(wrapped)
    const userPool = 'You are using a custom Amazon Cognito User Pool endpoint, ensure the endpoint is correct.'
    const identityPool = 'You are using a custom Amazon Amazon Cognito Identity Pool endpoint, ensure the endpoint is correct.'
    console.warn(userPool)
    console.warn(userPool, 'again')
    console.warn(identityPool)
    console.warn(identityPool)
    console.warn('something else', 42)
    console.warn('something else', 42)
    console.warn({ not: 'a string' })
    // Only string messages are filtered, not objects that print like one.
    const lookalike = { toString: () => userPool }
    console.warn(lookalike)
    expect(shown).toEqual([[userPool], [identityPool], ['something else', 42], ['something else', 42], [{ not: 'a string' }], [lookalike]])
  })

  it('wraps console.warn only once however often it is called', () => {
    const wrapped = console.warn
    expect(wrapped).not.toBe(capture)
    warnCustomEndpointsOnce()
    expect(console.warn).toBe(wrapped)
    shown.length = 0
    console.warn('You are using a custom Amazon Cognito User Pool endpoint')
    expect(shown).toEqual([])
  })
})
