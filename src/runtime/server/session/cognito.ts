// The user pool calls of a server sign-in and sign-out, with AWS's Cognito SDK (loaded on first
// use: an optional peer only `session: 'server'` apps install). Cognito's refusals become
// `SignInError` with Cognito's exception name as `code`; no token is ever part of a message.
import type { ResolvedAuth } from '../../shared/option-types'
import { NetworkError, SignInError } from '../../shared/errors'
import { passwordClaim, srpClient } from '../../shared/srp'

type Sdk = typeof import('@aws-sdk/client-cognito-identity-provider')
type Client = InstanceType<Sdk['CognitoIdentityProviderClient']>

export interface UserPoolTokens {
  IdToken: string
  AccessToken: string
  RefreshToken?: string
}
export type AuthAnswer
  = | { tokens: UserPoolTokens }
    | { challenge: { name: string, session: string, parameters: Record<string, string> } }

let sdk: Promise<Sdk> | undefined
// Clients hold no user state (no credentials: these operations are unauthenticated): one per endpoint.
const clients = new Map<string, Client>()

async function client(auth: ResolvedAuth): Promise<[Sdk, Client]> {
  const loaded = await (sdk ??= import('@aws-sdk/client-cognito-identity-provider'))
  const key = `${auth.region} ${auth.userPoolEndpoint}`
  let found = clients.get(key)
  if (!found) {
    found = new loaded.CognitoIdentityProviderClient({ region: auth.region, ...(auth.userPoolEndpoint ? { endpoint: auth.userPoolEndpoint } : {}) })
    clients.set(key, found)
  }
  return [loaded, found]
}

function refusal(error: unknown): Error {
  const err = error as { name?: string, message?: string, $metadata?: { httpStatusCode?: number } }
  if (err?.$metadata?.httpStatusCode === undefined || err.name === 'TimeoutError')
    return new NetworkError(`The user pool could not be reached (${err?.name ?? 'error'})`, { cause: error })
  return new SignInError(err.name ?? 'UnknownError', err.message || 'The user pool refused the sign-in', { cause: error })
}

function answer(result: { AuthenticationResult?: { IdToken?: string, AccessToken?: string, RefreshToken?: string }, ChallengeName?: string, Session?: string, ChallengeParameters?: Record<string, string> }): AuthAnswer {
  const tokens = result.AuthenticationResult
  if (tokens?.IdToken && tokens.AccessToken) return { tokens: { IdToken: tokens.IdToken, AccessToken: tokens.AccessToken, RefreshToken: tokens.RefreshToken } }
  if (result.ChallengeName) return { challenge: { name: result.ChallengeName, session: result.Session ?? '', parameters: result.ChallengeParameters ?? {} } }
  throw new SignInError('UnexpectedAnswer', 'The user pool answered the sign-in with neither tokens nor a next step')
}

/** `InitiateAuth` with USER_PASSWORD_AUTH (the app client must allow ALLOW_USER_PASSWORD_AUTH). */
export async function initiatePasswordAuth(auth: ResolvedAuth, username: string, password: string): Promise<AuthAnswer> {
  const [{ InitiateAuthCommand }, cognito] = await client(auth)
  try {
    return answer(await cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: auth.userPoolClientId, AuthParameters: { USERNAME: username, PASSWORD: password } })))
  }
  catch (error) {
    throw error instanceof SignInError ? error : refusal(error)
  }
}

/**
 * USER_SRP_AUTH: `InitiateAuth` with SRP_A, then the PASSWORD_VERIFIER answer proving the password
 * (which never leaves the server); the pool then answers with tokens or the next step.
 */
export async function initiateSrpAuth(auth: ResolvedAuth, username: string, password: string): Promise<AuthAnswer> {
  const [{ InitiateAuthCommand }, cognito] = await client(auth)
  const srp = srpClient()
  let first: AuthAnswer
  try {
    first = answer(await cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: auth.userPoolClientId, AuthParameters: { USERNAME: username, SRP_A: srp.A } })))
  }
  catch (error) {
    throw error instanceof SignInError ? error : refusal(error)
  }
  if (!('challenge' in first) || first.challenge.name !== 'PASSWORD_VERIFIER') return first
  const { SRP_B, SALT, SECRET_BLOCK, USER_ID_FOR_SRP } = first.challenge.parameters
  if (!SRP_B || !SALT || !SECRET_BLOCK || !USER_ID_FOR_SRP)
    throw new SignInError('UnexpectedAnswer', 'The user pool\'s PASSWORD_VERIFIER step lacks SRP_B, SALT, SECRET_BLOCK or USER_ID_FOR_SRP')
  let responses: Record<string, string>
  try {
    responses = passwordClaim(srp, { SRP_B, SALT, SECRET_BLOCK, USER_ID_FOR_SRP }, auth.userPoolId, password)
  }
  catch (error) {
    throw new SignInError('UnexpectedAnswer', `The user pool's PASSWORD_VERIFIER step is unusable: ${(error as Error).message}`)
  }
  return respondToChallenge(auth, 'PASSWORD_VERIFIER', first.challenge.session, responses)
}

/** `RespondToAuthChallenge`: the user's answer to a sign-in step. */
export async function respondToChallenge(auth: ResolvedAuth, name: string, session: string, responses: Record<string, string>): Promise<AuthAnswer> {
  const [{ RespondToAuthChallengeCommand }, cognito] = await client(auth)
  try {
    return answer(await cognito.send(new RespondToAuthChallengeCommand({ ClientId: auth.userPoolClientId, ChallengeName: name as never, ...(session ? { Session: session } : {}), ChallengeResponses: responses })))
  }
  catch (error) {
    throw error instanceof SignInError ? error : refusal(error)
  }
}

/** `RevokeToken`: the refresh token (and the tokens issued from it) stops working. */
export async function revokeRefreshToken(auth: ResolvedAuth, token: string): Promise<void> {
  const [{ RevokeTokenCommand }, cognito] = await client(auth)
  try {
    await cognito.send(new RevokeTokenCommand({ ClientId: auth.userPoolClientId, Token: token }))
  }
  catch (error) {
    throw refusal(error)
  }
}
