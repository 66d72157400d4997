// POST /api/_amplify/auth/sign-in: `{ username, password }` starts a sign-in (`auth.authFlowType`:
// USER_SRP_AUTH, the default, or USER_PASSWORD_AUTH),
// `{ challengeResponse }` answers its pending step (new password, MFA code). Answers Amplify's
// `{ isSignedIn, nextStep }` plus the session (no token); the tokens go into HttpOnly cookies.
import { defineEventHandler, readBody } from 'h3'
import type { H3Event } from 'h3'
import type { ResolvedOptions } from '../../shared/option-types'
import { InvalidRequestError, SignInError } from '../../shared/errors'
import { challengeResponses, DONE, nextStepFor } from '../../shared/sign-in-steps'
import { guardSessionRoute, sendTypedError } from './guard'
import type { AuthAnswer } from './cognito'
import { initiatePasswordAuth, initiateSrpAuth, respondToChallenge } from './cognito'
import { clearPendingStep, publicSession, readPendingStep, savePendingStep, storeTokens } from './tokens'

export default defineEventHandler(async (event) => {
  const options = guardSessionRoute(event)
  try {
    const input = await readBody<Record<string, unknown> | undefined>(event).catch(() => undefined)
    if (!input || typeof input !== 'object') throw new InvalidRequestError('expected a JSON body { username, password } or { challengeResponse }')
    if ('challengeResponse' in input) {
      const step = readPendingStep(event)
      if (!step) throw new SignInError('NoPendingStep', 'There is no sign-in step to answer (a step lasts 3 minutes); sign in again')
      const responses = challengeResponses(step.challenge, step.username, input.challengeResponse)
      if ('problem' in responses) throw new InvalidRequestError(responses.problem)
      return await finish(event, options, await respondToChallenge(options.auth, step.challenge, step.session, responses), step.username)
    }
    const { username, password } = input
    if (typeof username !== 'string' || !username || typeof password !== 'string' || !password)
      throw new InvalidRequestError('username and password must be non-empty strings')
    const initiate = options.auth.authFlowType === 'USER_SRP_AUTH' ? initiateSrpAuth : initiatePasswordAuth
    return await finish(event, options, await initiate(options.auth, username, password), username)
  }
  catch (error) {
    return sendTypedError(event, error)
  }
})

async function finish(event: H3Event, options: ResolvedOptions, answer: AuthAnswer, username: string) {
  if ('tokens' in answer) {
    clearPendingStep(event, options)
    return { ...DONE, session: publicSession(await storeTokens(event, options, answer.tokens)) }
  }
  const { name, session, parameters } = answer.challenge
  const result = nextStepFor(name, parameters)
  if ('problem' in result) throw new SignInError('UnsupportedChallenge', `Sign-in cannot continue: ${result.problem}`)
  savePendingStep(event, options, { challenge: name, session, username: parameters.USERNAME ?? parameters.USER_ID_FOR_SRP ?? username })
  return result
}
