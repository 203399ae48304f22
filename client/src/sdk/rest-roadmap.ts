import { TemplateApplyIn } from '../../../shared/schemas/roadmap.js';
import type { Roadmap, RoadmapProgress, RoadmapTemplate, RoomId } from '../../../shared/types.js';
import type { RestClient } from './rest.js';
import { check } from './rest.js';

/** The roadmap as JSON with its progress (done / total milestones). */
export interface RoadmapRead {
  roadmap: Roadmap;
  progress: RoadmapProgress;
}

/**
 * The roadmap over REST (docs/COLLAB.md): a read of the co-edited document, the curated
 * templates, and applying one. A template is applied by the server inside the live document, so
 * connected editors (RoadmapSession) see it at once.
 */
export class RoadmapApi {
  constructor(private readonly rest: RestClient) {}

  read(roomId: RoomId): Promise<RoadmapRead> {
    return this.rest.request('GET', `/rooms/${encodeURIComponent(roomId)}/roadmap`);
  }

  async templates(): Promise<RoadmapTemplate[]> {
    return (await this.rest.request<{ templates: RoadmapTemplate[] }>('GET', '/templates')).templates;
  }

  /** `append` (default) adds the template's milestones after the existing ones; `replace` swaps them all. */
  applyTemplate(roomId: RoomId, input: TemplateApplyIn): Promise<RoadmapRead> {
    return this.rest.request('POST', `/rooms/${encodeURIComponent(roomId)}/roadmap/template`, check(TemplateApplyIn, input, 'template'));
  }
}
