// At server start: app code's `amplify:configure` Nitro hooks are made available to every
// request's Amplify context (library-options.ts). They run while the context is built, so they
// must add their options synchronously; a hook that returns a promise is refused by name.
import { defineNitroPlugin } from 'nitropack/runtime'
import { runConfigureHooks, setServerConfigure } from '../library-options'

export default defineNitroPlugin((nitroApp) => {
  setServerConfigure((context, event) => {
    nitroApp.hooks.callHookWith(runConfigureHooks, 'amplify:configure', context, event)
  })
})
