import path from 'node:path';

import { Injectable, Logger } from '@nestjs/common';
import {
  evaluatePolicy,
  loadSharingPolicy,
  SharingDecision,
  SharingPolicy,
  SharingRequest,
} from '@app/policy';

import { HubEnv } from '../config/hub.env';

/**
 * The area's sharing policy, loaded once at start-up from SHARING_POLICY_FILE. A malformed file
 * stops the hub here, naming each problem, rather than letting it route without a policy.
 */
@Injectable()
export class SharingPolicyService {
  private readonly logger = new Logger(SharingPolicyService.name);
  private readonly policy: SharingPolicy;

  constructor(env: HubEnv) {
    const file = path.resolve(process.cwd(), env.SHARING_POLICY_FILE);
    this.policy = loadSharingPolicy(file);
    this.logger.log(
      `sharing policy ${this.policy.version} loaded: ${this.policy.rules.length} rules`,
    );
  }

  /** The policy as loaded: its version and rules, in the order they are tried. */
  inForce(): SharingPolicy {
    return this.policy;
  }

  get version(): string {
    return this.policy.version;
  }

  decide(request: SharingRequest): SharingDecision {
    return evaluatePolicy(this.policy, request);
  }
}
