// Amplify's custom-endpoint warnings once per server process, not once per call.
import { defineNitroPlugin } from 'nitropack/runtime'
import { warnCustomEndpointsOnce } from '../../shared/amplify-warnings'

export default defineNitroPlugin(() => {
  warnCustomEndpointsOnce()
})
