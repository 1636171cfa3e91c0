import { Injectable } from '@nestjs/common';

import { ApiConflictError, ApiRefusedError, NodeApiClient } from '../node-api/node-api.client';
import { formErrors, FormErrors, NO_ERRORS } from '../presentation/form-errors';
import { FormPost, text } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';
import { VerifyResultJson } from './audit-json';
import { AuditNames } from './audit-names.service';
import { verifyWords, VerifyWords } from './verify-words';

const RANGE_FIELDS = ['fromSeq', 'toSeq'] as const;
const WHOLE_NUMBER = /^[1-9]\d{0,14}$/;

export type SeqRange = { fromSeq?: string; toSeq?: string };

export type ParsedRange = { ok: true; range: SeqRange } | { ok: false; errors: FormErrors };

/** A range of rows as typed: both ends optional whole numbers from 1, the first not after the last. */
export function parseSeqRange(form: FormPost): ParsedRange {
  const found: Record<string, string> = {};
  const range: SeqRange = {};
  for (const field of RANGE_FIELDS) {
    const value = text(form, field).replace(/,/g, '');
    if (!value) continue;
    if (WHOLE_NUMBER.test(value)) range[field] = value;
    else {
      found[field] =
        `${field === 'fromSeq' ? 'From row' : 'To row'} must be a whole number, 1 or more`;
    }
  }
  if (range.fromSeq && range.toSeq && Number(range.fromSeq) > Number(range.toSeq)) {
    found.toSeq = 'To row must be the same as From row or after it';
  }
  return Object.keys(found).length
    ? { ok: false, errors: formErrors(found, RANGE_FIELDS) }
    : { ok: true, range };
}

export interface VerifyPage {
  values: Record<string, string>;
  errors: FormErrors;
  result: VerifyWords | null;
  exportHref: string;
}

/** A downloadable export: the audit API's answer, unchanged, as a file. */
export interface ExportFile {
  fileName: string;
  body: string;
}

function rangeQuery(range: SeqRange): string {
  const query = new URLSearchParams();
  if (range.fromSeq) query.set('fromSeq', range.fromSeq);
  if (range.toSeq) query.set('toSeq', range.toSeq);
  return query.toString();
}

/**
 * Proving the trail from the console: GET /audit/verify (the whole chain, or a range of rows)
 * said in plain words, and GET /audit/export handed to the browser as the file the API made, so
 * it verifies offline exactly as the API signed it.
 */
@Injectable()
export class ChainChecks {
  constructor(
    private readonly api: NodeApiClient,
    private readonly names: AuditNames,
  ) {}

  async verifyPage(session: ActiveSession, query: FormPost): Promise<VerifyPage> {
    const values = Object.fromEntries(RANGE_FIELDS.map((field) => [field, text(query, field)]));
    const blank = { values, errors: NO_ERRORS, result: null, exportHref: '/audit/chain/export' };
    if (!('check' in query)) return blank;
    const parsed = parseSeqRange(query);
    if (!parsed.ok) return { ...blank, errors: parsed.errors };
    const search = rangeQuery(parsed.range);
    const exportHref = `/audit/chain/export${search ? `?${search}` : ''}`;
    try {
      const result = await this.api.get<VerifyResultJson>(
        session,
        this.names.auditUrl,
        `/audit/verify${search ? `?${search}` : ''}`,
      );
      return { ...blank, exportHref, result: verifyWords(result) };
    } catch (error) {
      if (!(error instanceof ApiRefusedError)) throw error;
      return { ...blank, errors: rangeRefusal(error.body) };
    }
  }

  /** The export file, or the verify page's words when the range is refused or the chain is broken. */
  async exportFile(
    session: ActiveSession,
    query: FormPost,
  ): Promise<{ file: ExportFile } | { page: VerifyPage }> {
    const values = Object.fromEntries(RANGE_FIELDS.map((field) => [field, text(query, field)]));
    const parsed = parseSeqRange(query);
    const page = { values, errors: NO_ERRORS, result: null, exportHref: '/audit/chain/export' };
    if (!parsed.ok) return { page: { ...page, errors: parsed.errors } };
    const search = rangeQuery(parsed.range);
    try {
      const body = await this.api.get<{ fromSeq: number; toSeq: number }>(
        session,
        this.names.auditUrl,
        `/audit/export${search ? `?${search}` : ''}`,
      );
      return {
        file: {
          fileName: `audit-export-rows-${body.fromSeq}-to-${body.toSeq}.json`,
          body: JSON.stringify(body, null, 2),
        },
      };
    } catch (error) {
      if (error instanceof ApiConflictError && typeof error.body.verification === 'object') {
        // 409 CHAIN_BROKEN: nothing is signed over a broken chain; the page says where it broke.
        return {
          page: { ...page, result: verifyWords(error.body.verification as VerifyResultJson) },
        };
      }
      if (!(error instanceof ApiRefusedError)) throw error;
      return { page: { ...page, errors: rangeRefusal(error.body) } };
    }
  }

  /** The audit service's public key set, which checks an export's checkpoint offline. */
  async auditKeys(): Promise<string> {
    const response = await fetch(new URL('/.well-known/jwks.json', this.names.auditUrl), {
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) throw new Error(`audit JWKS answered ${response.status}`);
    return JSON.stringify(await response.json(), null, 2);
  }
}

/** The audit API's 400 for a range (fromSeq beyond the head, say), on the field it names. */
function rangeRefusal(body: Record<string, unknown>): FormErrors {
  const raw = body.message;
  const message =
    (Array.isArray(raw) ? raw : [raw]).find((item): item is string => typeof item === 'string') ??
    'The trail cannot check this range';
  const match = /^(fromSeq|toSeq): (.*)$/.exec(message);
  const named = match?.[1] ?? 'fromSeq';
  const said = match?.[2] ?? message;
  const words = said.replace(/fromSeq/g, 'From row').replace(/toSeq/g, 'To row');
  return formErrors({ [named]: words.charAt(0).toUpperCase() + words.slice(1) }, RANGE_FIELDS);
}
