/** Fixtures and assertions the contract sections share. */
import { expect } from 'chai';
import { isAppError } from '../../../shared/errors.js';
import type { Room } from '../../../shared/types.js';
import { newId, nowIso } from '../../../server/ids.js';
import type { Store, UserRecord } from '../../../server/store/port.js';

/** A store to test: fresh and empty, and how to release it. */
export interface OpenedStore {
  store: Store;
  /** Closes the store keeping its data and opens the same data again (when the adapter can). */
  reopen?(): Promise<Store>;
  /** Closes the store if open and deletes its data. */
  dispose(): Promise<void>;
}

/** What each contract section reads: the store of the running test (set in the suite's beforeEach). */
export interface ContractContext {
  store: Store;
  opened: OpenedStore;
}

export const sampleUser = (over: Partial<UserRecord> = {}): UserRecord => ({
  id: newId(),
  email: `${newId()}@example.test`,
  displayName: 'Sample',
  passwordHash: 'scrypt$1$1$1$salt$hash',
  profile: { bio: '', expertise: [], mentoring: false, timezone: 'UTC' },
  createdAt: nowIso(),
  ...over,
});

export const sampleRoom = (over: Partial<Room> = {}): Room => {
  const at = nowIso();
  return {
    id: newId(),
    title: 'Land a Director role',
    focus: 'Land a Director role',
    mentorId: 'mentor-1',
    menteeId: 'mentee-1',
    requestedBy: 'mentee-1',
    status: 'active',
    stage: 'initiation',
    stageHistory: [],
    contract: null,
    contractHistory: [],
    lastSeq: 0,
    createdAt: at,
    updatedAt: at,
    rev: 1,
    ...over,
  };
};

/** Asserts that `promise` rejects with an AppError of this code. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (err) {
    expect(isAppError(err), String(err)).to.equal(true);
    expect((err as { code: string }).code).to.equal(code);
    return;
  }
  expect.fail(`expected a ${code} rejection`);
}

