// The Amplify configuration written from the resolved options: the Cognito part only for the pools
// that are configured, custom endpoints only when set, and every REST API (Amplify's own
// configure(outputs) drops them).
import { describe, expect, it } from 'vitest'
import { mergeOptions } from '../../src/options'
import { toResourcesConfig } from '../../src/runtime/shared/amplify-config'
import type { ModuleOptions } from '../../src/runtime/shared/option-types'

function config(input: ModuleOptions) {
  const merged = mergeOptions(input)
  expect(merged.problems).toEqual([])
  return toResourcesConfig(merged.options)
}

const REST = { items: { endpoint: 'https://api.example.com/prod', region: 'eu-west-1', authMode: 'none' as const } }

describe('toResourcesConfig', () => {
  it('writes both pools, their custom endpoints and every REST API with its endpoint and region', () => {
    expect(config({
      auth: {
        region: 'eu-west-1', userPoolId: 'eu-west-1_abc', userPoolClientId: 'client-1', identityPoolId: 'eu-west-1:0c2b-11',
        allowGuestAccess: false, userPoolEndpoint: 'http://127.0.0.1:9229', identityPoolEndpoint: 'http://127.0.0.1:9230',
      },
      rest: { ...REST, other: { endpoint: 'https://other.example.com', region: 'us-east-1', authMode: 'iam' } },
    })).toEqual({
      Auth: {
        Cognito: {
          userPoolId: 'eu-west-1_abc', userPoolClientId: 'client-1', userPoolEndpoint: 'http://127.0.0.1:9229',
          identityPoolId: 'eu-west-1:0c2b-11', allowGuestAccess: false, identityPoolEndpoint: 'http://127.0.0.1:9230',
        },
      },
      API: { REST: { items: { endpoint: 'https://api.example.com/prod', region: 'eu-west-1' }, other: { endpoint: 'https://other.example.com', region: 'us-east-1' } } },
    })
  })

  it('leaves out endpoints that are not set (Amplify then uses the AWS ones)', () => {
    expect(config({ auth: { region: 'eu-west-1', userPoolId: 'eu-west-1_abc', userPoolClientId: 'client-1', identityPoolId: 'eu-west-1:0c2b-11' }, rest: REST }).Auth).toEqual({
      Cognito: { userPoolId: 'eu-west-1_abc', userPoolClientId: 'client-1', identityPoolId: 'eu-west-1:0c2b-11', allowGuestAccess: true },
    })
  })

  it('a user pool alone has no identity pool keys, an identity pool alone no user pool keys', () => {
    expect(config({ auth: { region: 'eu-west-1', userPoolId: 'eu-west-1_abc', userPoolClientId: 'client-1' }, rest: REST }).Auth)
      .toEqual({ Cognito: { userPoolId: 'eu-west-1_abc', userPoolClientId: 'client-1' } })
    expect(config({ auth: { region: 'eu-west-1', identityPoolId: 'eu-west-1:0c2b-11', allowGuestAccess: true }, rest: REST }).Auth)
      .toEqual({ Cognito: { identityPoolId: 'eu-west-1:0c2b-11', allowGuestAccess: true } })
  })

  it('without pools there is no Auth section at all, and without APIs an empty REST map', () => {
    const noPools = config({ rest: REST })
    expect(noPools).not.toHaveProperty('Auth')
    expect(noPools.API).toEqual({ REST: { items: { endpoint: 'https://api.example.com/prod', region: 'eu-west-1' } } })
    expect(config({})).toEqual({ API: { REST: {} } })
  })
})
