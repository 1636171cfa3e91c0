import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '@app/platform';
import { PolicyInWords, policyInWords } from '@app/policy';

import { SharingPolicyService } from '../policy/sharing-policy.service';

/** The sharing policy the hub applies now, in words, for administrators. */
@ApiTags('admin')
@Authorize('admin')
@Controller('admin/policy')
export class AdminPolicyController {
  constructor(private readonly policy: SharingPolicyService) {}

  @Get()
  @ApiOperation({ summary: 'The sharing policy in force: its version and its rules in words' })
  inForce(): PolicyInWords {
    return policyInWords(this.policy.inForce());
  }
}
