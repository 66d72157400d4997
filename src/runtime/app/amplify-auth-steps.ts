// Amplify's redirect sign-in and confirm-sign-in, behind their own dynamic import: every sign-in
// loads `import('aws-amplify/auth')` for `signIn`/`signOut`, and one chunk holds what all imports of
// a module use, so these two (OAuth, PKCE, the challenge steps) would otherwise ride along with it.
export { confirmSignIn, signInWithRedirect } from 'aws-amplify/auth'
