import { Injectable } from '@nestjs/common';
import { Clock } from '@app/platform';

import { AreaDirectory } from '../node-api/area-directory.service';
import { ApiRefusedError, NodeApiClient } from '../node-api/node-api.client';
import { PageNotFoundError } from '../pages/page-errors';
import { apiFieldErrors, formErrors, FormErrors } from '../presentation/form-errors';
import { FormPost } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';
import {
  ACTION_ANCHORS,
  ACTION_FIELDS,
  checkActionForm,
  MaracActionForm,
  readActionForm,
} from './marac-action-form';

/** GET /cases/:caseId/pack/readable of the MARAC API: the pack in the words the PDF prints. */
export interface ReadablePackJson {
  marking: string;
  caseId: string;
  producedOn: string;
  meeting: string;
  caseRows: [string, string][];
  history: string;
  earlierReferrals: string[];
  children: { reference: string; school: string }[];
  answeredLine: string;
  notAnswered: string[];
  overdue: string[];
  notDelivered: string[];
  agencies: {
    agencyId: string;
    mailboxId: string;
    heading: string;
    status: string;
    attention: boolean;
    answers: { title: string; facts: string; opinion?: string }[];
    currentActions?: string;
    contact?: string;
    purged?: string;
  }[];
  actions: {
    owner: string;
    description: string;
    due: string;
    overdue: boolean;
    state: string;
    updates: string[];
  }[];
}

export interface MaracCasePage {
  caseId: string;
  pack: ReadablePackJson;
  owners: { value: string; text: string }[];
}

export type ActionFormResult =
  { recorded: true } | { recorded: false; values: MaracActionForm; errors: FormErrors };

const EMPTY_FORM: MaracActionForm = {
  owner: '',
  description: '',
  dueDay: '',
  dueMonth: '',
  dueYear: '',
};

/** The MARAC's own words for fields of `POST /cases/:caseId/actions`, as the form names them. */
const API_FIELDS: Record<string, string> = {
  'actions.0.ownerAgencyId': 'owner',
  'actions.0.ownerMailboxId': 'owner',
  'actions.0.description': 'description',
  'actions.0.dueDate': 'dueDate',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A MARAC case's page for the coordinator: the research pack (every agency's research, facts
 * apart from opinion, who has not answered, the earlier referrals), its actions with overdue
 * ones first, the form to record one, and the PDF the MARAC makes, passed through.
 */
@Injectable()
export class MaracCasePages {
  constructor(
    private readonly area: AreaDirectory,
    private readonly api: NodeApiClient,
    private readonly clock: Clock,
  ) {}

  async page(session: ActiveSession, caseId: string): Promise<MaracCasePage> {
    const pack = await this.api.get<ReadablePackJson>(
      session,
      this.marac(),
      `/cases/${this.checked(caseId)}/pack/readable`,
    );
    return {
      caseId,
      pack,
      owners: pack.agencies.map((agency) => ({ value: agency.mailboxId, text: agency.heading })),
    };
  }

  /** The form's values for a fresh page. */
  emptyForm(): MaracActionForm {
    return { ...EMPTY_FORM };
  }

  async recordAction(
    session: ActiveSession,
    caseId: string,
    form: FormPost,
  ): Promise<ActionFormResult> {
    const values = readActionForm(form);
    const { pack } = await this.page(session, caseId);
    const fail = (errors: Record<string, string>): ActionFormResult => ({
      recorded: false,
      values,
      errors: formErrors(errors, ACTION_FIELDS, (field) => ACTION_ANCHORS[field] ?? field),
    });
    const checked = checkActionForm(values, pack.agencies, this.clock.now());
    if (Object.keys(checked.errors).length) return fail(checked.errors);
    try {
      await this.api.post(session, this.marac(), `/cases/${caseId}/actions`, checked.body);
      return { recorded: true };
    } catch (error) {
      if (!(error instanceof ApiRefusedError)) throw error;
      const refused = apiFieldErrors(error.body, {});
      return fail(
        Object.fromEntries(
          Object.entries(refused).map(([field, message]) => [
            API_FIELDS[field] ?? 'owner',
            message,
          ]),
        ),
      );
    }
  }

  /** The MARAC's PDF of the pack, as it made it. */
  pdf(session: ActiveSession, caseId: string) {
    return this.api.download(session, this.marac(), `/cases/${this.checked(caseId)}/pack.pdf`);
  }

  private checked(caseId: string): string {
    if (!UUID.test(caseId)) throw new PageNotFoundError();
    return caseId;
  }

  private marac(): string {
    const url = this.area.nodeUrl('marac');
    if (!url) throw new PageNotFoundError();
    return url;
  }
}
