/**
 * What a fault run checks of its missing episodes at the end. Each accepted episode is one item
 * in each intended mailbox (the recipient node's inbox thread `missing-episode:<id>`): one row
 * per accepted report, no report twice, exactly one row not superseded and it the latest — so
 * later reports updated the item — and the reporter's node holds each report's delivered
 * receipt for each mailbox, or the exchange's refusal of it. Each police episode reported found
 * has its return home interview fall due during the run: the hub's deadline is escalated once,
 * with one `escalated` audit event per escalated deadline, one escalation in the reporter's
 * mailbox and one in social care's escalation mailbox per deadline, and the reporter's episode
 * shows the interview overdue. Waits until that holds for all, or nothing moved for `quietMs`.
 */
import { ESCALATION, RETURN_HOME_INTERVIEW_DEADLINE } from '@app/contracts';

import { BenchStack, IntendedMailbox, sleep } from './bench-stack';
import {
  POLICE_REPORTER_MAILBOX,
  SOCIAL_CARE_ESCALATION_MAILBOX,
  TrackedEpisode,
} from './missing-episode-load';

/** One mailbox of one episode that does not hold it once, updated, with every receipt. */
export interface EpisodeProblem {
  kind: 'lost' | 'duplicated' | 'stuck' | 'refused';
  episodeId: string;
  /** The episode's latest accepted report: the one a diagnosis follows. */
  messageId: string;
  subjectRef: string;
  reporter: string;
  mailboxId: string;
  service: string;
  why: string;
}

export interface EpisodeCheck {
  lost: number;
  duplicated: number;
  stuck: number;
  refused: number;
  problems: EpisodeProblem[];
  /** Return home interviews due during the run, escalated once, not at all, more than once. */
  escalations: { due: number; once: number; missing: number; twice: number; problems: string[] };
  describe(): string;
}

const POLL_MS = 1000;

interface ThreadRow {
  thread_key: string;
  n: number;
  sequences: number;
  open: number;
  latest: number;
  shown: number | null;
}

export async function episodeCheck(
  stack: BenchStack,
  episodes: TrackedEpisode[],
  quietMs: number,
): Promise<EpisodeCheck> {
  const accepted = episodes.filter((episode) => episode.reports.length > 0);
  const subjectOf = new Map<string, string>();
  for (const reporter of ['police-adapter', 'social-care-adapter']) {
    const { rows } = await stack
      .pool(reporter)
      .query<{ episode_id: string; subject_ref: string }>(
        'SELECT episode_id, subject_ref FROM missing_episode WHERE episode_id = ANY($1)',
        [accepted.filter((e) => e.reporter === reporter).map((e) => e.episodeId)],
      );
    for (const row of rows) subjectOf.set(row.episode_id, row.subject_ref);
  }
  const intended = (episode: TrackedEpisode): IntendedMailbox[] =>
    stack.incidentMailboxes.filter(
      ({ mailboxId }) => episode.reporter === 'police-adapter' || mailboxId !== 'mash',
    );
  const due = accepted.filter((e) => e.reporter === 'police-adapter' && e.found);

  let last = '';
  let lastChange = Date.now();
  for (;;) {
    const problems = await mailboxProblems(stack, accepted, subjectOf, intended);
    const escalations = await escalationProblems(stack, due, subjectOf);
    const state = JSON.stringify([problems, escalations]);
    if (state !== last) {
      last = state;
      lastChange = Date.now();
    }
    const open = problems.filter((p) => p.kind === 'lost' || p.kind === 'stuck').length;
    if ((open === 0 && escalations.missing === 0) || Date.now() - lastChange > quietMs) {
      const episodesWith = (kind: EpisodeProblem['kind']) =>
        new Set(problems.filter((p) => p.kind === kind).map((p) => p.episodeId));
      // One count per episode, the worst of its mailboxes: twice, lost, refused, stuck.
      const duplicated = episodesWith('duplicated');
      const lost = [...episodesWith('lost')].filter((id) => !duplicated.has(id));
      const refused = [...episodesWith('refused')].filter(
        (id) => !duplicated.has(id) && !lost.includes(id),
      );
      const stuck = [...episodesWith('stuck')].filter(
        (id) => !duplicated.has(id) && !lost.includes(id) && !refused.includes(id),
      );
      const reports = accepted.reduce((sum, e) => sum + e.reports.length, 0);
      const bad = new Set(problems.map((p) => p.episodeId));
      return {
        lost: lost.length,
        duplicated: duplicated.size,
        stuck: stuck.length,
        refused: refused.length,
        problems,
        escalations,
        describe: () =>
          `${accepted.length} accepted episodes (${reports} reports, ` +
          `${accepted.filter((e) => e.reporter === 'police-adapter').length} by the police, the others by ` +
          `social care): ${accepted.length - bad.size} once in every mailbox, updated to the latest ` +
          `report, with every receipt; ${lost.length} lost, ${duplicated.size} twice, ` +
          `${refused.length} refused with a reason, ${stuck.length} not updated or without every receipt. ` +
          `Return home interviews due during the run: ${escalations.due}, escalated exactly once ` +
          `${escalations.once}, not escalated ${escalations.missing}, more than once ${escalations.twice}`,
      };
    }
    await sleep(POLL_MS);
  }
}

async function mailboxProblems(
  stack: BenchStack,
  episodes: TrackedEpisode[],
  subjectOf: Map<string, string>,
  intended: (episode: TrackedEpisode) => IntendedMailbox[],
): Promise<EpisodeProblem[]> {
  const threads = episodes.map((e) => `missing-episode:${e.episodeId}`);
  const inbox = new Map<string, ThreadRow>();
  for (const { mailboxId, service } of stack.incidentMailboxes) {
    const { rows } = await stack.pool(service).query<ThreadRow>(
      `SELECT thread_key, count(*)::int AS n, count(DISTINCT thread_sequence)::int AS sequences,
              (count(*) FILTER (WHERE superseded_by IS NULL))::int AS open,
              max(thread_sequence)::int AS latest,
              (max(thread_sequence) FILTER (WHERE superseded_by IS NULL))::int AS shown
         FROM inbox_message WHERE mailbox_id = $1 AND thread_key = ANY($2) GROUP BY thread_key`,
      [mailboxId, threads],
    );
    for (const row of rows) inbox.set(`${mailboxId} ${row.thread_key}`, row);
  }
  /** Per `messageId mailbox`: delivered, or the refusal's code (`*` for the whole report). */
  const delivered = new Set<string>();
  const refusals = new Map<string, string>();
  for (const reporter of ['police-adapter', 'social-care-adapter']) {
    const ids = episodes.filter((e) => e.reporter === reporter).flatMap((e) => e.reports);
    const pool = stack.pool(reporter);
    const [{ rows: recipients }, { rows: rejected }] = await Promise.all([
      pool.query<{ message_id: string; recipient: string; delivered: boolean; code: string }>(
        `SELECT message_id, recipient, delivered_at IS NOT NULL AS delivered,
                CASE WHEN rejected_at IS NOT NULL OR sharing_refused_at IS NOT NULL
                     THEN COALESCE(rejection_code, 'SHARING_REFUSED') END AS code
           FROM missing_episode_recipient WHERE message_id = ANY($1)`,
        [ids],
      ),
      pool.query<{ message_id: string; code: string }>(
        `SELECT message_id, rejection_code AS code FROM missing_episode_report
          WHERE message_id = ANY($1) AND rejected_at IS NOT NULL`,
        [ids],
      ),
    ]);
    for (const row of recipients) {
      if (row.delivered) delivered.add(`${row.message_id} ${row.recipient}`);
      if (row.code) refusals.set(`${row.message_id} ${row.recipient}`, row.code);
    }
    for (const row of rejected) refusals.set(`${row.message_id} *`, row.code ?? 'REJECTED');
  }

  const problems: EpisodeProblem[] = [];
  for (const episode of episodes) {
    const reports = episode.reports.length;
    for (const { mailboxId, service } of intended(episode)) {
      const row = inbox.get(`${mailboxId} missing-episode:${episode.episodeId}`);
      const problem = (kind: EpisodeProblem['kind'], why: string) =>
        problems.push({
          kind,
          episodeId: episode.episodeId,
          messageId: episode.reports[reports - 1],
          subjectRef: subjectOf.get(episode.episodeId) ?? '',
          reporter: episode.reporter,
          mailboxId,
          service,
          why,
        });
      const refusal = episode.reports
        .map((id) => refusals.get(`${id} ${mailboxId}`) ?? refusals.get(`${id} *`))
        .find((code) => code !== undefined);
      const n = row?.n ?? 0;
      if (row && (row.sequences < n || n > reports)) {
        problem('duplicated', `${n} rows for ${reports} reports`);
      } else if (refusal) problem('refused', refusal);
      else if (n < reports) problem('lost', `${n} of ${reports} reports in the mailbox`);
      else if (row!.open !== 1 || row!.shown !== row!.latest) {
        problem('stuck', `${row!.open} items shown, report ${row!.shown} of ${row!.latest}`);
      } else if (!episode.reports.every((id) => delivered.has(`${id} ${mailboxId}`))) {
        problem('stuck', 'a delivered receipt missing at the reporter');
      }
    }
  }
  return problems;
}

async function escalationProblems(
  stack: BenchStack,
  due: TrackedEpisode[],
  subjectOf: Map<string, string>,
): Promise<EpisodeCheck['escalations']> {
  const refs = due.map((e) => subjectOf.get(e.episodeId) ?? '');
  const { rows: deadlines } = await stack.pool('hub').query<{
    subject_ref: string;
    delivery_id: string;
    kind: string;
    state: string;
    recipient_node: string;
  }>(
    `SELECT v.subject_ref, d.delivery_id, d.kind, d.state, v.recipient_node
       FROM deadline d JOIN delivery v ON v.id = d.delivery_id WHERE v.subject_ref = ANY($1)`,
    [refs],
  );
  const escalatedIds = deadlines.filter((d) => d.state === 'escalated').map((d) => d.delivery_id);
  const itemsPerSubject = async (service: string, mailboxId: string) => {
    const { rows } = await stack.pool(service).query<{ subject_ref: string; n: number }>(
      `SELECT subject_ref, count(*)::int AS n FROM inbox_message
        WHERE mailbox_id = $1 AND type = $2 AND subject_ref = ANY($3) GROUP BY subject_ref`,
      [mailboxId, ESCALATION.type, refs],
    );
    return new Map(rows.map((row) => [row.subject_ref, row.n]));
  };
  const [{ rows: audited }, reporterItems, escalationItems, { rows: overdue }] = await Promise.all([
    stack.pool('audit').query<{ message_id: string; n: number }>(
      `SELECT message_id, count(*)::int AS n FROM audit_record
          WHERE action = 'escalated' AND message_id = ANY($1) GROUP BY message_id`,
      [escalatedIds],
    ),
    itemsPerSubject('police-adapter', POLICE_REPORTER_MAILBOX),
    itemsPerSubject('social-care-adapter', SOCIAL_CARE_ESCALATION_MAILBOX),
    stack.pool('police-adapter').query<{ episode_id: string }>(
      `SELECT episode_id FROM missing_episode
          WHERE episode_id = ANY($1) AND rhi_overdue_at IS NOT NULL`,
      [due.map((e) => e.episodeId)],
    ),
  ]);
  const auditCount = new Map(audited.map((row) => [row.message_id, row.n]));
  const shownOverdue = new Set(overdue.map((row) => row.episode_id));

  const result = { due: due.length, once: 0, missing: 0, twice: 0, problems: [] as string[] };
  for (const episode of due) {
    const subjectRef = subjectOf.get(episode.episodeId) ?? '';
    const own = deadlines.filter((d) => d.subject_ref === subjectRef);
    const interview = own.filter((d) => d.kind === RETURN_HOME_INTERVIEW_DEADLINE);
    const escalated = own.filter((d) => d.state === 'escalated');
    const atSocialCare = escalated.filter((d) => d.recipient_node === 'social-care').length;
    const audits = escalated.map((d) => auditCount.get(d.delivery_id) ?? 0);
    const toReporter = reporterItems.get(subjectRef) ?? 0;
    const toEscalation = escalationItems.get(subjectRef) ?? 0;
    const twice = [
      interview.length > 1 && `${interview.length} interview deadlines`,
      audits.some((n) => n > 1) && `audited ${Math.max(...audits)} times`,
      toReporter > escalated.length && `${toReporter} escalations in ${POLICE_REPORTER_MAILBOX}`,
      toEscalation > atSocialCare &&
        `${toEscalation} escalations in ${SOCIAL_CARE_ESCALATION_MAILBOX}`,
    ].filter(Boolean);
    const missing = [
      interview.length === 0 && 'no interview deadline at the hub',
      interview.some((d) => d.state !== 'escalated') &&
        `interview deadline ${interview.map((d) => d.state).join(', ')}`,
      audits.some((n) => n === 0) && 'an escalation not audited',
      toReporter < escalated.length && `not in ${POLICE_REPORTER_MAILBOX}`,
      toEscalation < atSocialCare && `not in ${SOCIAL_CARE_ESCALATION_MAILBOX}`,
      !shownOverdue.has(episode.episodeId) && 'the reporter does not show it overdue',
    ].filter(Boolean);
    if (twice.length > 0) {
      result.twice++;
      result.problems.push(`episode ${episode.episodeId}: twice (${twice.join('; ')})`);
    } else if (missing.length > 0) {
      result.missing++;
      result.problems.push(`episode ${episode.episodeId}: not escalated (${missing.join('; ')})`);
    } else result.once++;
  }
  return result;
}
