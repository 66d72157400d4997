import type { RestApi } from '../../shared/rest-types'
import { useNuxtApp } from '#imports'

/** The same object as `useNuxtApp().$restApi`. */
export function useRestApi(): RestApi {
  return useNuxtApp().$restApi as RestApi
}
