import { useAmplifyAuthStore } from '../stores/amplify-auth'

/** The auth store (`useAmplifyAuthStore()`), under the name the rest of the app reads best. */
export function useAmplifyAuth() {
  return useAmplifyAuthStore()
}
