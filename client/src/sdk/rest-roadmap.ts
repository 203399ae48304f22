import { TemplateApplyIn, TemplateSaveIn } from '../../../shared/schemas/roadmap.js';
import type { PairTemplate, Roadmap, RoadmapProgress, RoadmapTemplate, RoomId } from '../../../shared/types.js';
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

  /** For a room: the curated templates and the pair's own (saved from their roadmaps). */
  roomTemplates(roomId: RoomId): Promise<{ templates: RoadmapTemplate[]; own: PairTemplate[] }> {
    return this.rest.request('GET', `/rooms/${encodeURIComponent(roomId)}/templates`);
  }

  /** Saves the roadmap as it is now as a template of the pair's own. */
  async saveTemplate(roomId: RoomId, input: TemplateSaveIn): Promise<PairTemplate> {
    return (await this.rest.request<{ template: PairTemplate }>('POST', `/rooms/${encodeURIComponent(roomId)}/roadmap/save-template`, check(TemplateSaveIn, input, 'template'))).template;
  }

  /** `append` (default) adds the template's milestones after the existing ones; `replace` swaps them all. */
  applyTemplate(roomId: RoomId, input: TemplateApplyIn): Promise<RoadmapRead> {
    return this.rest.request('POST', `/rooms/${encodeURIComponent(roomId)}/roadmap/template`, check(TemplateApplyIn, input, 'template'));
  }
}
