import { Injectable } from '@nestjs/common';
import { decodeCursor, NewestFirstPage, pageOf } from '@app/node';

import { IncidentNotifications, IncidentStatusService } from './incident-status.service';
import { IncidentRepository } from './incident.repository';

/** GET /incidents: the force's incidents, newest first. */
export type IncidentPage = NewestFirstPage<IncidentNotifications>;

/**
 * The force's incidents, newest first, a page at a time, each exactly as
 * GET /incidents/:incidentId/notifications shows it: per child, each recipient's status.
 */
@Injectable()
export class IncidentListService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly status: IncidentStatusService,
  ) {}

  async page(limit: number, cursor?: string): Promise<IncidentPage> {
    const rows = await this.incidents.newestFirst(limit + 1, cursor ? decodeCursor(cursor) : null);
    const shown = await this.status.of(rows.slice(0, limit));
    const byId = new Map(shown.map((incident) => [incident.incidentId, incident]));
    return pageOf(rows, limit, (row) => byId.get(row.id)!);
  }
}
