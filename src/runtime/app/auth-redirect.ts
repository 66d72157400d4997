// Managed login for the store (browser): `signInWithRedirect({ provider? })` to the Cognito domain
// (Hosted UI, Google, Apple, Facebook, Amazon, or a custom SAML/OIDC provider by name), the callback
// completed by Amplify's OAuth listener (loaded at start when the outputs have `oauth`), and the
// other steps of `signIn` (MFA, new password…) passed through with `confirmSignIn`. The store
// follows the result through Amplify's Hub ('signedIn', 'signedOut'), like any sign-in.
import type { ResourcesConfig } from 'aws-amplify'
import type { ConfirmSignInInput, ConfirmSignInOutput, SignInWithRedirectInput } from 'aws-amplify/auth'

export interface RedirectSignInInput {
  /** 'Google' | 'Apple' | 'Facebook' | 'Amazon', or a custom provider's name; none: the Hosted UI. */
  provider?: 'Google' | 'Apple' | 'Facebook' | 'Amazon' | (string & {})
  /** Carried through the round trip (Amplify's `customState`). */
  customState?: string
}

const BUILT_IN = ['Google', 'Apple', 'Facebook', 'Amazon']

export async function redirectSignIn(input: RedirectSignInInput = {}): Promise<void> {
  if (typeof input !== 'object' || input === null) throw new TypeError(`signInWithRedirect(input): input is ${typeof input}; expected { provider? }`)
  const { provider, customState } = input
  if (provider !== undefined && (typeof provider !== 'string' || !provider)) throw new TypeError(`signInWithRedirect: provider is ${JSON.stringify(provider)}; expected 'Google', 'Apple', 'Facebook', 'Amazon' or a custom provider's name`)
  const { signInWithRedirect } = await import('aws-amplify/auth')
  const amplifyInput: SignInWithRedirectInput = {
    ...(provider ? { provider: BUILT_IN.includes(provider) ? provider as 'Google' : { custom: provider } } : {}),
    ...(customState ? { customState } : {}),
  }
  await signInWithRedirect(amplifyInput)
}

export async function confirm(input: ConfirmSignInInput): Promise<ConfirmSignInOutput> {
  const { confirmSignIn } = await import('aws-amplify/auth')
  return confirmSignIn(input)
}

/** Loads Amplify's OAuth listener when the configuration has `oauth`, so a callback URL completes the sign-in. */
export async function listenForRedirect(resources: ResourcesConfig): Promise<void> {
  if (resources.Auth?.Cognito?.loginWith?.oauth) await import('aws-amplify/auth/enable-oauth-listener')
}
