import type { PairTemplateRecord, TemplateStore } from '../templates.js';
import type { Models, PairTemplateDoc } from './models.js';
import { DURABLE } from './tx.js';

const fromDoc = (d: PairTemplateDoc): PairTemplateRecord => ({
  id: d._id,
  pairKey: d.pairKey,
  name: d.name,
  description: d.description,
  title: d.title,
  milestones: d.milestones.map((m) => ({ title: m.title, notes: m.notes })),
  createdBy: d.createdBy,
  createdAt: d.createdAt,
});

/** Pair templates, the MongoDB twin of server/store/sqlite/templates.ts: one document each, never updated. */
export function mongoTemplates(m: Models): TemplateStore {
  return {
    async create(t) {
      const { id, ...rest } = t;
      await m.pairTemplates.create([{ _id: id, ...rest }], { writeConcern: DURABLE });
      return structuredClone(t);
    },
    async get(id) {
      const d = await m.pairTemplates.findById(id).lean<PairTemplateDoc>();
      return d ? fromDoc(d) : null;
    },
    async listForPair(pairKey) {
      const docs = await m.pairTemplates.find({ pairKey }).sort({ createdAt: 1, _id: 1 }).lean<PairTemplateDoc[]>();
      return docs.map(fromDoc);
    },
    async countForPair(pairKey) {
      return m.pairTemplates.countDocuments({ pairKey });
    },
  };
}
