/** Rooms and contracts built in memory for the pure lifecycle rules (test/unit/). */
import type { ContractIn } from '../../shared/schemas/contract.js';
import type { Contract, Goal, Room, Stage } from '../../shared/types.js';

export const MENTOR = 'mentor-1';
export const MENTEE = 'mentee-1';
export const STRANGER = 'stranger-1';
export const T0 = '2025-03-01T09:00:00.000Z';

/** Deterministic ids for goals the domain creates: g1, g2, ... */
export function idSource(prefix = 'g'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

export function goal(id: string, over: Partial<Goal> = {}): Goal {
  return { id, title: `Goal ${id}`, metric: 'count', target: '1', dueDate: '2025-06-01', status: 'open', acknowledgedBy: [], ...over };
}

export function contract(over: Partial<Contract> = {}): Contract {
  return {
    goals: [goal('a'), goal('b'), goal('c')],
    groundRules: ['Be on time'],
    cadence: { every: '1w', channel: 'video' },
    channels: ['chat'],
    reviewAt: '2025-09-01',
    acceptedBy: [],
    version: 1,
    updatedAt: T0,
    updatedBy: MENTEE,
    ...over,
  };
}

/** An active room accepted at T0, in `stage`, with no contract unless given. */
export function room(over: Partial<Room> = {}): Room {
  return {
    id: 'room-1',
    title: 'Land a Director role',
    focus: 'Land a Director role',
    mentorId: MENTOR,
    menteeId: MENTEE,
    requestedBy: MENTEE,
    status: 'active',
    stage: 'initiation' as Stage,
    stageHistory: [],
    contract: null,
    contractHistory: [],
    lastSeq: 1,
    createdAt: '2025-02-28T09:00:00.000Z',
    acceptedAt: T0,
    updatedAt: T0,
    rev: 2,
    ...over,
  };
}

/**
 * A room in `stage` whose state satisfies every guard out of it: the contract accepted by both,
 * every goal achieved and acknowledged by both.
 */
export function readyRoom(stage: Stage): Room {
  const goals = ['a', 'b', 'c'].map((id) => goal(id, { status: 'achieved', acknowledgedBy: [MENTOR, MENTEE] }));
  return room({ stage, contract: contract({ goals, acceptedBy: [MENTEE, MENTOR] }) });
}

/** A valid PUT /contract body with `n` goals. */
export function contractIn(n = 3, over: Partial<ContractIn> = {}): ContractIn {
  return {
    goals: Array.from({ length: n }, (_, i) => ({ title: `Goal ${i + 1}`, metric: 'count', target: `${i + 1}`, dueDate: '2025-06-01' })),
    groundRules: ['Be on time'],
    cadence: { every: '1w', channel: 'video' },
    channels: ['chat'],
    reviewAt: '2025-09-01',
    ...over,
  };
}
