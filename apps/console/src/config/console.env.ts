import { Secret, serviceEnvWithDefaults } from '@app/platform';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

const url = { require_tld: false, require_protocol: true };

/** Environment of the web console; see .env.example for each variable. */
export class ConsoleEnv extends serviceEnvWithDefaults({
  HTTP_PORT: 3007,
  DATABASE_SCHEMA: 'console',
  KAFKA_GROUP_ID: 'console',
  KAFKA_SASL_USERNAME: 'console',
}) {
  /** The address people type into the browser; the OIDC redirect URI is built from it. */
  @IsUrl(url)
  CONSOLE_PUBLIC_URL = 'http://127.0.0.1:3007';

  /** The console's client id at the OIDC provider (AUTH_ISSUER). */
  @Matches(/^[A-Za-z0-9._:-]{1,200}$/, { message: 'CONSOLE_OIDC_CLIENT_ID must be a client id' })
  CONSOLE_OIDC_CLIENT_ID = 'console';

  /** Only for a provider that registers the console as a confidential client (Entra ID). */
  @Secret()
  @IsOptional()
  @IsString()
  CONSOLE_OIDC_CLIENT_SECRET?: string;

  /** Scopes asked for at sign-in, space-separated (Entra ID needs its API's scope here). */
  @Matches(/^openid( [A-Za-z0-9._:/-]+)*$/, {
    message: 'CONSOLE_OIDC_SCOPES must start with openid, space-separated',
  })
  CONSOLE_OIDC_SCOPES = 'openid';

  /** A session ends after this many minutes without a request. */
  @IsInt()
  @Min(1)
  @Max(720)
  CONSOLE_SESSION_IDLE_MINUTES: number = 30;

  /** The area's registry file: which node holds each mailbox, and its name. */
  @IsString()
  CONSOLE_AREA_FILE = 'deploy/registry/demo-area.json';

  /** The sharing policy the hub applies (its SHARING_POLICY_FILE): the auditor's pages give a rule's reason. */
  @IsString()
  CONSOLE_SHARING_POLICY_FILE = 'deploy/policy/sharing-policy.json';

  @IsUrl(url)
  CONSOLE_POLICE_URL = 'http://127.0.0.1:3001';

  @IsUrl(url)
  CONSOLE_EDUCATION_URL = 'http://127.0.0.1:3002';

  @IsUrl(url)
  CONSOLE_HEALTH_URL = 'http://127.0.0.1:3003';

  @IsUrl(url)
  CONSOLE_SOCIAL_CARE_URL = 'http://127.0.0.1:3004';

  /** The MARAC's API: the coordinator's meetings, research tracker, packs and actions. */
  @IsUrl(url)
  CONSOLE_MARAC_URL = 'http://127.0.0.1:3005';

  @IsUrl(url)
  CONSOLE_AUDIT_URL = 'http://127.0.0.1:3006';

  /** The hub's administrator API: the registry, dead letters and sharing policy. */
  @IsUrl(url)
  CONSOLE_HUB_URL = 'http://127.0.0.1:3000';

  override crossCheck(): string[] {
    const problems = super.crossCheck();
    if (this.NODE_ENV === 'production') {
      if (!this.CONSOLE_PUBLIC_URL.startsWith('https://')) {
        problems.push('CONSOLE_PUBLIC_URL: must be https:// when NODE_ENV=production');
      }
      if (!this.AUTH_ISSUER.startsWith('https://')) {
        problems.push(
          'AUTH_ISSUER: the console signs in only over https:// when NODE_ENV=production',
        );
      }
    }
    return problems;
  }
}
