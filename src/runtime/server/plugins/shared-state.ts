// At server start: the shared state (Nitro storage mount `amplify`, sealed with the session
// secret) is built once and put where each request's context finds it (shared-state-slot.ts).
import { defineNitroPlugin } from 'nitropack/runtime'
import { useSharedState } from '../shared-server-state'
import { setSharedState } from '../shared-state-slot'

export default defineNitroPlugin(() => {
  setSharedState(useSharedState())
})
