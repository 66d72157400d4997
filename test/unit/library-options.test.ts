// App code's library options joined with the module's, and a later Amplify.configure reported at
// once (real Amplify and Hub).
import { describe, expect, it } from 'vitest'
import { Amplify } from 'aws-amplify'
import { joinLibraryOptions, watchReconfigure } from '../../src/runtime/app/library-options'

type Headers = (input: { apiName: string }) => Promise<Record<string, string>>

describe('joinLibraryOptions', () => {
  it('keeps the module\'s REST headers (read first, winning a clash), adds the app\'s, forces ssr', async () => {
    const order: string[] = []
    const mine: Headers = async () => {
      order.push('module')
      return { 'Authorization': 'token', 'X-Both': 'module' }
    }
    const theirs: Headers = async () => {
      order.push('app')
      return { 'X-App': 'yes', 'X-Both': 'app' }
    }
    const joined = joinLibraryOptions({ ssr: false, API: { REST: { headers: theirs } }, Storage: { S3: { isObjectLockEnabled: true } } }, mine, true)
    expect(joined.ssr).toBe(true)
    expect(joined.Storage).toEqual({ S3: { isObjectLockEnabled: true } })
    const headers = await (joined.API!.REST!.headers as Headers)({ apiName: 'items' })
    expect(headers).toEqual({ 'Authorization': 'token', 'X-App': 'yes', 'X-Both': 'module' })
    expect(order).toEqual(['module', 'app'])
  })

  it('without app headers, the module\'s function itself is configured', () => {
    const mine: Headers = async () => ({})
    expect(joinLibraryOptions({}, mine, false).API!.REST!.headers).toBe(mine)
  })

  it('app options that hand back the module\'s own headers function run it once per call, not twice', async () => {
    // e.g. a hook that copies library options read from an earlier configure: each run of the
    // module's headers is a token lookup, so the joined function must not call it as "the app's" too.
    let runs = 0
    const mine: Headers = async () => {
      runs++
      return { Authorization: `token-${runs}` }
    }
    const headers = joinLibraryOptions({ API: { REST: { headers: mine } } }, mine, true).API!.REST!.headers as Headers
    expect(await headers({ apiName: 'items' })).toEqual({ Authorization: 'token-1' })
    expect(runs).toBe(1)
  })
})

describe('watchReconfigure', () => {
  it('reports a later Amplify.configure at once, naming the REST APIs it dropped and the hook', () => {
    const reports: string[] = []
    const stop = watchReconfigure({ restApis: ['orders', 'items'] }, message => reports.push(message))
    Amplify.configure({ API: { REST: { items: { endpoint: 'https://items.example.com', region: 'us-east-1' } } } })
    stop()
    expect(reports).toHaveLength(1)
    expect(reports[0]).toContain('the REST API "orders"')
    expect(reports[0]).not.toContain('"items"')
    expect(reports[0]).toContain('token storage')
    expect(reports[0]).toContain('amplify:configure')
    Amplify.configure({})
    expect(reports).toHaveLength(1)
  })
})
