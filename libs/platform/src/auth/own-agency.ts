/**
 * The agency this service acts for, where it acts for exactly one (an agency's node). Provided
 * under OWN_AGENCY, it binds every `agency-system` token the service accepts to that agency
 * (AuthGuard); services that serve every agency (the hub, audit) do not provide it.
 */
export interface OwnAgency {
  /** The registry's agency of this node; throws a DependencyUnavailableError when unknown. */
  agencyId(): Promise<string>;
}

export const OWN_AGENCY = Symbol('OWN_AGENCY');
