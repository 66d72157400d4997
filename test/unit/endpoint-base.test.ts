// assertUnderEndpoint parses each API endpoint once and keeps it: the check must stay per endpoint.
import { describe, expect, it } from 'vitest'
import { assertUnderEndpoint } from '../../src/runtime/shared/headers'
import { InvalidPathError } from '../../src/runtime/shared/errors'

describe('assertUnderEndpoint with parsed endpoints kept', () => {
  it('checks each call against its own endpoint, also after another endpoint was checked', () => {
    assertUnderEndpoint('https://a.example/prod', 'https://a.example/prod/items')
    expect(() => assertUnderEndpoint('https://b.example/stage', 'https://a.example/prod/items')).toThrow(InvalidPathError)
    expect(() => assertUnderEndpoint('https://a.example/prod', 'https://a.example/prodx')).toThrow(/outside the endpoint https:\/\/a\.example\/prod/)
    assertUnderEndpoint('https://a.example/prod/', 'https://a.example/prod/x')
    expect(() => assertUnderEndpoint('https://a.example/prod', 'https://a.example/other')).toThrow(InvalidPathError)
  })

  it('stays right past the number of endpoints it keeps', () => {
    for (let i = 0; i < 200; i++) {
      const endpoint = `https://api${i % 70}.example/v${i}`
      assertUnderEndpoint(endpoint, `${endpoint}/items`)
      expect(() => assertUnderEndpoint(endpoint, `https://api${i % 70}.example/v${i + 1}/items`)).toThrow(InvalidPathError)
    }
  })
})
