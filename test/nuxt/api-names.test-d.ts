// Type tests, checked by `npm run test:types` (vue-tsc), not run: the root app's configured APIs
// (nuxt.config.ts: items, open) are the only names `apiName` takes, in $restApi and useRestApiData.
import { expectTypeOf } from 'vitest'
import { isRestApiError, useRestApi, useRestApiData } from '#imports'
import type { ApiName } from '../../src/module'

const restApi = useRestApi()
expectTypeOf<ApiName>().toEqualTypeOf<'items' | 'open'>()

restApi.get('things')
restApi.get('things', { apiName: 'open' })
// @ts-expect-error not a configured API
restApi.get('things', { apiName: 'itemz' })
// @ts-expect-error not a configured API
restApi.post('things', { apiName: 'Open', body: {} })

useRestApiData('things', { apiName: 'items' })
// @ts-expect-error not a configured API
useRestApiData('things', { apiName: 'itemz' })
// @ts-expect-error not a configured API, also as a getter
useRestApiData('things', { apiName: () => 'nope' })

// Data typed by the caller, errors narrowed by isRestApiError.
const { data, error } = useRestApiData<{ id: string }[]>('things')
expectTypeOf(data.value).toEqualTypeOf<{ id: string }[] | undefined>()
const withDefault = useRestApiData<{ id: string }[]>('things', { default: () => [] })
expectTypeOf(withDefault.data.value).toEqualTypeOf<{ id: string }[]>()
if (isRestApiError(error.value)) {
  expectTypeOf(error.value.statusCode).toEqualTypeOf<number>()
  expectTypeOf(error.value.apiName).toEqualTypeOf<string>()
}
