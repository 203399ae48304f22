import { AppError } from '../../shared/errors.js';
import type { TemplateApplyIn, TemplateSaveIn } from '../../shared/schemas/roadmap.js';
import type { Milestone, PairTemplate, Roadmap, RoadmapProgress, RoadmapTemplate, Room, RoomId } from '../../shared/types.js';
import type { AuthUser } from '../auth/tokens.js';
import type { DocAccess } from '../collab/registry.js';
import { assertCanEditRoadmap, progressOf } from '../domain/roadmap.js';
import { pairKey, templateBelongsTo, templateFrom } from '../domain/templates.js';
import { newId, nowIso } from '../ids.js';
import type { RoomService } from '../rooms/service.js';
import type { PairTemplateRecord, Store } from '../store/port.js';
import { findTemplate, TEMPLATES } from './templates.js';
import { addEvidence, applyTemplate, findMilestone, readRoadmap, removeEvidence } from './ydoc.js';

/** A roadmap with its progress: what GET /api/rooms/:id/roadmap returns. */
export interface RoadmapView {
  roadmap: Roadmap;
  progress: RoadmapProgress;
}

/**
 * The room roadmaps, read and changed on the server. Every change goes through the live document
 * (DocAccess), whether or not editors are connected: it is stored, then relayed to them.
 */
export class RoadmapService {
  constructor(
    private readonly store: Store,
    private readonly rooms: RoomService,
    private readonly docs: DocAccess,
  ) {}

  /** The roadmap as JSON with its progress. FORBIDDEN for a non-member, NOT_FOUND for no room. */
  async read(user: AuthUser, roomId: RoomId): Promise<RoadmapView> {
    const room = await this.rooms.getForMember(user, roomId);
    return this.view(room.id);
  }

  /** Done and total milestones, without an authorisation check (for the record of achievement). NOT_FOUND for no room. */
  async progress(roomId: RoomId): Promise<RoadmapProgress> {
    await this.assertRoom(roomId);
    return progressOf(await this.docs.read(roomId, readRoadmap));
  }

  /** The roadmap's milestones, without an authorisation check (the reminder scheduler reads due dates). */
  async milestones(roomId: RoomId): Promise<Milestone[]> {
    return (await this.docs.peek(roomId, readRoadmap)).milestones;
  }

  /** Whether the room's roadmap has a milestone with this id (false when there is no such room). */
  async milestoneExists(roomId: RoomId, milestoneId: string): Promise<boolean> {
    if (!(await this.store.rooms.get(roomId))) return false;
    return this.docs.read(roomId, (doc) => findMilestone(doc, milestoneId) !== null);
  }

  /**
   * Links a growth-thread entry to a milestone, live for connected editors. Idempotent. The caller
   * authorises; NOT_FOUND when the room or the milestone does not exist.
   */
  async addEvidence(roomId: RoomId, milestoneId: string, entryId: string): Promise<void> {
    await this.assertRoom(roomId);
    await this.docs.edit(roomId, (doc) => {
      if (!addEvidence(doc, milestoneId, entryId)) throw new AppError('NOT_FOUND', 'milestone not found');
    });
  }

  /**
   * Unlinks an entry from a milestone. Idempotent; a milestone that is gone has nothing to unlink,
   * so that is not an error. NOT_FOUND only when the room does not exist.
   */
  async removeEvidence(roomId: RoomId, milestoneId: string, entryId: string): Promise<void> {
    await this.assertRoom(roomId);
    await this.docs.edit(roomId, (doc) => void removeEvidence(doc, milestoneId, entryId));
  }

  /** The curated templates. */
  templates(): readonly RoadmapTemplate[] {
    return TEMPLATES;
  }

  /** For a member: the curated templates and the pair's own, oldest first (issue 16). */
  async templatesFor(user: AuthUser, roomId: RoomId): Promise<{ templates: readonly RoadmapTemplate[]; own: PairTemplate[] }> {
    const room = await this.rooms.getForMember(user, roomId);
    return { templates: TEMPLATES, own: (await this.store.templates.listForPair(pairKey(room))).map(toPairTemplate) };
  }

  /**
   * Saves the room's roadmap as it is now as a template of the pair's own (any member, any room
   * status: a finished roadmap is a good start for the next one). GUARD_FAILED `roadmap-empty`
   * or `pair-templates` (the per-pair limit; a read then a write, so two racing saves may both pass).
   */
  async saveTemplate(user: AuthUser, roomId: RoomId, input: TemplateSaveIn): Promise<PairTemplate> {
    const room = await this.rooms.getForMember(user, roomId);
    const key = pairKey(room);
    const roadmap = await this.docs.read(room.id, readRoadmap);
    const shape = templateFrom(roadmap, input.name, await this.store.templates.countForPair(key));
    const saved = await this.store.templates.create({ id: newId(), pairKey: key, name: input.name, description: input.description ?? '', ...shape, createdBy: user.id, createdAt: nowIso() });
    return toPairTemplate(saved);
  }

  /**
   * Applies a template (curated, or one of this pair's own) for a member while the room is pending
   * or active (GUARD_FAILED otherwise); NOT_FOUND for an unknown template or another pair's.
   * Connected editors see the milestones appear.
   */
  async applyTemplate(user: AuthUser, roomId: RoomId, input: TemplateApplyIn): Promise<RoadmapView> {
    const room = await this.rooms.getForMember(user, roomId);
    assertCanEditRoadmap(room, user.id);
    const template = findTemplate(input.templateId) ?? (await this.ownTemplate(room, input.templateId));
    if (!template) throw new AppError('NOT_FOUND', `no template ${input.templateId}`);
    const roadmap = await this.docs.edit(room.id, (doc) => {
      applyTemplate(doc, template, input.mode ?? 'append', newId);
      return readRoadmap(doc);
    });
    return { roadmap, progress: progressOf(roadmap) };
  }

  private async ownTemplate(room: Room, id: string): Promise<RoadmapTemplate | null> {
    const t = await this.store.templates.get(id);
    return t && templateBelongsTo(t, room) ? toPairTemplate(t) : null;
  }

  private async view(roomId: RoomId): Promise<RoadmapView> {
    const roadmap = await this.docs.read(roomId, readRoadmap);
    return { roadmap, progress: progressOf(roadmap) };
  }

  private async assertRoom(roomId: RoomId): Promise<void> {
    if (!(await this.store.rooms.get(roomId))) throw new AppError('NOT_FOUND', 'room not found');
  }
}

const toPairTemplate = (t: PairTemplateRecord): PairTemplate => ({
  id: t.id,
  name: t.name,
  description: t.description,
  title: t.title,
  milestones: t.milestones,
  createdBy: t.createdBy,
  createdAt: t.createdAt,
});
