/**
 * Does a client's update keep the roadmap document in its schema's shape (DESIGN §3)? Checked on
 * the decoded update, before it is stored, without applying it: issue 13's 243 KB update that set
 * `root.junk` to 20,000 nested Y.Maps was accepted, and every recursive read of the document failed
 * from then on.
 *
 * Shape: root `Y.Map("roadmap")` { title: value, milestones: Y.Array<Y.Map> }, a milestone map
 * { id, title, status, due, goalId: values; evidence: Y.Array<string>; notes: Y.Text }. Unknown keys
 * of the root and of a milestone may hold plain values (older clients, future fields), never a
 * shared type. So the document is at most four types deep, and every walk here is bounded by that:
 * parent links are followed at most MAX_HOPS times; sibling (origin) chains iteratively, once each.
 */
import * as Y from 'yjs';

/**
 * What a shared type is in the schema. `value` is a non-type item (nothing can sit inside it);
 * `dead` is under something deleted and collected: Yjs discards whatever lands there (a client that
 * typed into a milestone someone else removed meanwhile), so anything goes.
 */
type Slot = 'root' | 'milestones' | 'milestone' | 'evidence' | 'notes' | 'value' | 'dead';

/** Deeper than the schema (root → milestones → milestone → notes) plus slack: off-schema. */
const MAX_HOPS = 6;

type Content = Y.Item['content'];
const isType = (content: Content, type: typeof Y.Map | typeof Y.Array | typeof Y.Text): boolean =>
  content instanceof Y.ContentType && content.type instanceof type;
const isValue = (content: Content): boolean => content instanceof Y.ContentAny || content instanceof Y.ContentBinary;

/** The slot of an item with `content` under key `sub` (null in a list) of a `container`, or null when the schema has no place for it. */
function childSlot(container: Slot, sub: string | null, content: Content): Slot | null {
  if (container === 'dead') return 'dead';
  if (content instanceof Y.ContentDeleted) return 'value';
  switch (container) {
    case 'root':
      if (sub === 'milestones') return isType(content, Y.Array) ? 'milestones' : null;
      return sub !== null && isValue(content) ? 'value' : null;
    case 'milestones':
      return sub === null && isType(content, Y.Map) ? 'milestone' : null;
    case 'milestone':
      if (sub === 'notes') return isType(content, Y.Text) ? 'notes' : null;
      // The server tolerates a plain array of ids there (server/roadmap/ydoc.ts evidenceOf).
      if (sub === 'evidence') return isType(content, Y.Array) ? 'evidence' : isValue(content) ? 'value' : null;
      return sub !== null && isValue(content) ? 'value' : null;
    case 'evidence':
      return sub === null && content instanceof Y.ContentAny ? 'value' : null;
    case 'notes':
      return sub === null && (content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentEmbed) ? 'value' : null;
    case 'value':
      return null;
  }
}

interface IdLike {
  client: number;
  clock: number;
}
const isId = (v: unknown): v is IdLike => typeof v === 'object' && v !== null && !(v instanceof Y.AbstractType) && typeof (v as IdLike).client === 'number';

/** The struct covering `clock` in a clock-sorted list, by binary search. */
function covering<S extends { id: IdLike; length: number }>(list: readonly S[] | undefined, clock: number): S | null {
  if (!list) return null;
  let [lo, hi] = [0, list.length - 1];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid]!;
    if (clock < s.id.clock) hi = mid - 1;
    else if (clock >= s.id.clock + s.length) lo = mid + 1;
    else return s;
  }
  return null;
}


type Decoded = ReturnType<typeof Y.decodeUpdate>;
/** Where an item sits: the slot of its container and its key (null in a list); null when off-schema. */
type Place = { slot: Slot; sub: string | null } | null;
type Struct = Decoded['structs'][number];

const indexes = new WeakMap<Decoded, Map<number, Struct[]>>();
/**
 * Places of the items of updates that passed: a later update's sibling chain stops at them instead
 * of walking back through every update still being stored (a typing burst would be quadratic).
 */
const settled = new WeakMap<Y.Item, Place>();
/** Slots of types already in a document (a type never moves). Keyed by root name, then type. */
const typeSlots = new Map<string, WeakMap<Y.AbstractType<unknown>, Slot | null>>();

/** An update's structs by client, in clock order (made once per update). */
function indexOf(decoded: Decoded): Map<number, Struct[]> {
  let index = indexes.get(decoded);
  if (index) return index;
  index = new Map();
  for (const s of decoded.structs) {
    const list = index.get(s.id.client) ?? [];
    list.push(s);
    index.set(s.id.client, list);
  }
  for (const list of index.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  indexes.set(decoded, index);
  return index;
}

/**
 * Why `decoded` (a client's update for `doc`) leaves the roadmap's shape, or null when it keeps it.
 * `pending`: updates accepted before it but not yet applied to `doc` (still being stored); it may
 * build on them.
 */
export function roadmapShapeDefect(decoded: Decoded, doc: Y.Doc, root: string, pending: Iterable<Decoded> = []): string | null {
  const docSlots = typeSlots.get(root) ?? typeSlots.set(root, new WeakMap()).get(root)!;
  const own = indexOf(decoded);
  let earlier: Array<Map<number, Struct[]>> | null = null; // built on the first miss: usually none
  const places = new Map<Y.Item, Place>();

  /** An item of this update, or of the document (already integrated), holding `id`; 'dead' for a collected one (Y.GC). */
  const find = (id: IdLike): { item: Y.Item; stored: boolean } | 'dead' | null => {
    let mine = covering(own.get(id.client), id.clock);
    if (!mine) {
      earlier ??= [...pending].reverse().map(indexOf);
      for (const index of earlier) if ((mine = covering(index.get(id.client), id.clock))) break;
    }
    if (mine instanceof Y.Item) return { item: mine, stored: false };
    if (mine instanceof Y.GC) return 'dead';
    if (mine) return null; // a Skip: a gap this update does not fill
    const stored = covering(doc.store.clients.get(id.client), id.clock);
    if (stored instanceof Y.GC) return 'dead';
    return stored instanceof Y.Item ? { item: stored, stored: true } : null;
  };

  /** The slot of a type already in the document: walk up (bounded), then down the schema. */
  const typeSlot = (type: Y.AbstractType<unknown>): Slot | null => {
    if (docSlots.has(type)) return docSlots.get(type)!;
    const path: Y.Item[] = [];
    let top = type;
    while (top._item !== null && path.length <= MAX_HOPS) {
      path.push(top._item);
      top = top._item.parent as Y.AbstractType<unknown>;
    }
    let slot: Slot | null = top._item === null && Y.findRootTypeKey(top) === root && top instanceof Y.Map ? 'root' : null;
    for (let i = path.length - 1; i >= 0 && slot !== null; i--) slot = childSlot(slot, path[i]!.parentSub, path[i]!.content);
    docSlots.set(type, slot);
    return slot;
  };

  /** The slot of the type an item of this update holds, `hops` parent links up from where we started. */
  const ownSlot = (item: Y.Item, hops: number): Slot | null => {
    const p = placeOf(item, hops);
    return p && childSlot(p.slot, p.sub, item.content);
  };

  /** Where an item of this update goes: its parent, or (with no parent info) that of the sibling it is inserted next to. */
  const placeOf = (item: Y.Item, hops: number): Place => {
    const chain: Y.Item[] = [];
    const onChain = new Set<Y.Item>();
    let cur = item;
    let place: Place;
    for (;;) {
      const known = places.has(cur) ? places.get(cur)! : settled.get(cur);
      if (known !== undefined) {
        place = known;
        break;
      }
      const parent: unknown = cur.parent;
      if (typeof parent === 'string') {
        place = parent === root ? { slot: 'root', sub: cur.parentSub } : null;
        break;
      }
      if (isId(parent)) {
        const found = hops < MAX_HOPS ? find(parent) : null;
        let slot: Slot | null;
        if (found === 'dead' || (found && found.item.content instanceof Y.ContentDeleted)) slot = 'dead';
        else if (!found) slot = null;
        else if (found.stored) slot = found.item.content instanceof Y.ContentType ? typeSlot(found.item.content.type) : null;
        else slot = ownSlot(found.item, hops + 1);
        place = slot && slot !== 'value' ? { slot, sub: cur.parentSub } : null;
        break;
      }
      const ref = cur.origin ?? cur.rightOrigin;
      const sibling = ref ? find(ref) : null;
      if (!sibling) {
        place = null; // nothing to attach to: an update that refers to items nobody has
        break;
      }
      if (sibling === 'dead') {
        place = { slot: 'dead', sub: null };
        break;
      }
      if (sibling.stored) {
        const slot = typeSlot(sibling.item.parent as Y.AbstractType<unknown>);
        place = slot ? { slot, sub: sibling.item.parentSub } : null;
        break;
      }
      if (onChain.has(sibling.item)) {
        place = null; // origins in a circle
        break;
      }
      chain.push(cur);
      onChain.add(cur);
      cur = sibling.item;
    }
    places.set(cur, place);
    for (const c of chain) places.set(c, place);
    return place;
  };

  for (const item of decoded.structs) {
    if (!(item instanceof Y.Item)) continue;
    const place = placeOf(item, 0);
    if (!place) return 'an item outside the roadmap schema (unknown root, off-schema parent, or too deep)';
    if (childSlot(place.slot, place.sub, item.content) === null) {
      return `a ${item.content.constructor.name} under ${place.sub === null ? 'a list' : `key "${place.sub}"`} of ${place.slot} is not in the roadmap schema`;
    }
  }
  for (const item of decoded.structs) if (item instanceof Y.Item && places.has(item)) settled.set(item, places.get(item)!);
  return null;
}
