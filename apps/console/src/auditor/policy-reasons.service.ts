import path from 'node:path';

import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_ENV } from '@app/platform';
import { loadSharingPolicy, SharingPolicy } from '@app/policy';

import { ConsoleEnv } from '../config/console.env';

/**
 * The sharing policy's own words for its rules (CONSOLE_SHARING_POLICY_FILE, the hub's file), so
 * an auditor reads why a rule refused, not only its id. A decision made under another version of
 * the policy gets no words: the rule may have said something else then.
 */
@Injectable()
export class PolicyReasons {
  private readonly policy: SharingPolicy;

  constructor(@Inject(SERVICE_ENV) env: ConsoleEnv) {
    // A bad file stops the console at start-up, naming what is wrong (as it stops the hub).
    this.policy = loadSharingPolicy(path.resolve(env.CONSOLE_SHARING_POLICY_FILE));
  }

  /** The rule's reason, when the decision was made under the version this file holds. */
  reasonOf(ruleId: string | null, policyVersion: string | null): string | null {
    if (!ruleId || policyVersion !== this.policy.version) return null;
    return this.policy.rules.find((rule) => rule.id === ruleId)?.reason ?? null;
  }
}
