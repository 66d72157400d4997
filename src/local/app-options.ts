// `amplify: { local: true }`: an app's options with every Cognito, identity and REST setting taken
// from the local backend. Each of the app's APIs keeps its name, mode and own settings (headers,
// scheme, serverOnly) and gets the endpoint of the local API that verifies that mode. Pure.

import type { ModuleOptions, RestApiOptions } from '../runtime/shared/option-types'
import type { LocalAmplifyOptions, LocalApiName } from './types'

/** The local API that verifies an app API's mode (`userPool` with `token: 'access'` has its own). */
export function localApiFor(api: RestApiOptions): LocalApiName | undefined {
  const mode = api.authMode ?? 'iam'
  if (mode === 'userPool') return api.token === 'access' ? 'userPoolAccess' : 'userPool'
  return (['iam', 'apiKey', 'custom', 'none'] as const).find(name => name === mode)
}

/**
 * The app's options pointed at the backend. Without APIs of its own the app gets the backend's six
 * (`iam`, `apiKey`, `userPool`, `userPoolAccess`, `custom`, `none`). `outputs` is dropped: its
 * ids and endpoints are AWS's. An API with an unknown mode is left as written, for the options
 * check to name.
 */
export function localAppOptions(app: ModuleOptions, backend: LocalAmplifyOptions): { options: ModuleOptions, apis: Record<string, LocalApiName> } {
  const { local: _local, outputs: _outputs, ...rest } = app
  const given = app.rest && typeof app.rest === 'object' && Object.keys(app.rest).length ? app.rest : undefined
  const apis: Record<string, LocalApiName> = {}
  let restOut: Record<string, RestApiOptions>
  if (!given) {
    restOut = structuredClone(backend.rest)
    for (const name of Object.keys(backend.rest)) apis[name] = name as LocalApiName
  }
  else {
    restOut = {}
    for (const [name, api] of Object.entries(given)) {
      const target = api && typeof api === 'object' ? localApiFor(api) : undefined
      if (!target) {
        restOut[name] = api
        continue
      }
      const local = backend.rest[target]
      apis[name] = target
      restOut[name] = { ...api, endpoint: local.endpoint, region: local.region, ...('apiKey' in local ? { apiKey: local.apiKey } : {}) }
    }
  }
  return {
    options: {
      ...rest,
      auth: { ...backend.auth },
      rest: restOut,
      defaultApi: app.defaultApi ?? (given ? undefined : backend.defaultApi),
    },
    apis,
  }
}

/** The backend's shape with values that reach nothing: `nuxi prepare`, and builds allowed for tests. */
export const PLACEHOLDER_BACKEND: LocalAmplifyOptions = (() => {
  const at = (path: string) => `http://127.0.0.1:1${path}`
  const region = 'us-east-1'
  return {
    auth: {
      region,
      userPoolId: 'us-east-1_local',
      userPoolClientId: 'local',
      identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
      allowGuestAccess: true,
      userPoolEndpoint: at(''),
      identityPoolEndpoint: at(''),
      userPoolIssuer: at('/us-east-1_local'),
      authFlowType: 'USER_PASSWORD_AUTH',
    },
    rest: {
      iam: { endpoint: at('/iam'), region, authMode: 'iam' },
      apiKey: { endpoint: at('/apikey'), region, authMode: 'apiKey', apiKey: 'placeholder' },
      userPool: { endpoint: at('/userpool'), region, authMode: 'userPool', token: 'id' },
      userPoolAccess: { endpoint: at('/userpool-access'), region, authMode: 'userPool', token: 'access' },
      custom: { endpoint: at('/custom'), region, authMode: 'custom' },
      none: { endpoint: at('/none'), region, authMode: 'none' },
    },
    defaultApi: 'userPool',
  }
})()
