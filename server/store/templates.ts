import type { UserId } from '../../shared/types.js';

/**
 * A roadmap template a pair saved from their own roadmap (issue 16): offered to the same two
 * people, in any of their rooms, next to the curated ones. `pairKey` names the pair whatever
 * their roles (server/domain/templates.ts pairKey).
 */
export interface PairTemplateRecord {
  id: string;
  pairKey: string;
  name: string;
  description: string;
  /** The roadmap title the template sets. */
  title: string;
  milestones: Array<{ title: string; notes: string }>;
  createdBy: UserId;
  createdAt: string;
}

/** Pair templates (the `templates` sub-port of Store). */
export interface TemplateStore {
  create(template: PairTemplateRecord): Promise<PairTemplateRecord>;
  /** One template by id, or null. */
  get(id: string): Promise<PairTemplateRecord | null>;
  /** The pair's templates, oldest first (ties by id). */
  listForPair(pairKey: string): Promise<PairTemplateRecord[]>;
  /** How many templates the pair has (for the per-pair limit). */
  countForPair(pairKey: string): Promise<number>;
}
