// `session: 'server'`: a Cognito sign-in answer (InitiateAuth / RespondToAuthChallenge) as the
// result Amplify's `signIn` returns (`{ isSignedIn, nextStep }`), and the answer the user gives to
// the next step as Cognito's `ChallengeResponses`. Pure.

/** What `signIn` / `confirmSignIn` resolve to, the shape of Amplify's `SignInOutput`. */
export interface SignInResult {
  isSignedIn: boolean
  nextStep: SignInNextStep
}

export type SignInNextStep
  = | { signInStep: 'DONE' }
    | { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes?: string[] }
    | { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE' | 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS' | 'EMAIL', destination?: string } }
    | { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }
    | { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: string[] }
    | { signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: Record<string, string> }

/** The challenges the server can continue, each with the `ChallengeResponses` key the answer goes in. */
const ANSWER_KEYS: Record<string, string> = {
  NEW_PASSWORD_REQUIRED: 'NEW_PASSWORD',
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  SELECT_MFA_TYPE: 'ANSWER',
  CUSTOM_CHALLENGE: 'ANSWER',
}

export const DONE: SignInResult = Object.freeze({ isSignedIn: true, nextStep: Object.freeze({ signInStep: 'DONE' }) }) as SignInResult

/**
 * The next step for a Cognito challenge. Returns a problem string for a challenge this server
 * cannot continue (e.g. MFA_SETUP, which needs an authenticator app set-up in the browser).
 */
export function nextStepFor(challenge: string, parameters: Record<string, string> = {}): SignInResult | { problem: string } {
  const step = (nextStep: SignInNextStep): SignInResult => ({ isSignedIn: false, nextStep })
  switch (challenge) {
    case 'NEW_PASSWORD_REQUIRED': {
      const required = parseList(parameters.requiredAttributes).map(name => name.replace(/^userAttributes\./, ''))
      return step(required.length
        ? { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: required }
        : { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' })
    }
    case 'SMS_MFA':
      return step({ signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', ...destination(parameters) } })
    case 'EMAIL_OTP':
      return step({ signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', ...destination(parameters) } })
    case 'SOFTWARE_TOKEN_MFA':
      return step({ signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' })
    case 'SELECT_MFA_TYPE':
      return step({ signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: parseList(parameters.MFAS_CAN_CHOOSE).map(mfaType) })
    case 'CUSTOM_CHALLENGE': {
      const { USERNAME: _u, ...additionalInfo } = parameters
      return step({ signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo })
    }
    default:
      return { problem: `the user pool asks for ${challenge}, which a server sign-in cannot continue; use session: 'browser' for this user pool's flow` }
  }
}

/**
 * Cognito's `ChallengeResponses` for the user's answer to `challenge`: a new password, a code, an
 * MFA type ('SMS' | 'TOTP' | 'EMAIL') or a custom answer. A problem string for a bad answer.
 */
export function challengeResponses(challenge: string, username: string, answer: unknown): Record<string, string> | { problem: string } {
  const key = ANSWER_KEYS[challenge]
  if (!key) return { problem: `there is no sign-in step ${challenge} to continue` }
  if (typeof answer !== 'string' || !answer) return { problem: 'challengeResponse is missing; expected the new password, code or answer of the sign-in step' }
  const value = challenge === 'SELECT_MFA_TYPE' ? ({ SMS: 'SMS_MFA', TOTP: 'SOFTWARE_TOKEN_MFA', EMAIL: 'EMAIL_OTP' } as Record<string, string>)[answer] : answer
  if (!value) return { problem: `challengeResponse is ${JSON.stringify(answer)}; expected "SMS", "TOTP" or "EMAIL"` }
  return { USERNAME: username, [key]: value }
}

function parseList(value: string | undefined): string[] {
  if (!value) return []
  try {
    const parsed = JSON.parse(value)
    return Array.isArray(parsed) ? parsed.map(String) : []
  }
  catch {
    return []
  }
}

function destination(parameters: Record<string, string>): { destination?: string } {
  return parameters.CODE_DELIVERY_DESTINATION ? { destination: parameters.CODE_DELIVERY_DESTINATION } : {}
}

function mfaType(cognito: string): string {
  return ({ SMS_MFA: 'SMS', SOFTWARE_TOKEN_MFA: 'TOTP', EMAIL_OTP: 'EMAIL' } as Record<string, string>)[cognito] ?? cognito
}
