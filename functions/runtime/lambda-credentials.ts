import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias set by
 * `lib/constructs/bundling.ts`), never in local or test runs.
 *
 * Lambda hands every function its execution role's credentials in environment variables, so the
 * SDK's default chain always stops at its first link, `fromEnv`, there. The other links (SSO, INI
 * profiles, credential processes, web identity, container and instance metadata) are still bundled
 * because the chain imports them, and with the clients they build (STS, SSO, SSO-OIDC, sign-in)
 * they make up about 95 KB of each minified bundle that no invocation runs. Missing variables fail
 * with the SDK's own CredentialsProviderError, as the default chain would. The SDK's clients import
 * only `defaultProvider` from the module this replaces; if a later SDK imports more, the build fails
 * on the missing export rather than at run time.
 */
export function defaultProvider(init: FromEnvInit = {}): AwsCredentialIdentityProvider {
  return fromEnv(init);
}
