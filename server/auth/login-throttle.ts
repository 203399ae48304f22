/**
 * Slows password guessing: after `maxFailures` failed logins for one email within `windowMs`,
 * further attempts for that email are refused until the window passes. Per node and in memory:
 * enough to make online guessing impractical without a shared store.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while the email is locked out. */
  blocked(email: string): boolean {
    const entry = this.current(email);
    return entry !== undefined && entry.count >= this.maxFailures;
  }

  /**
   * Counts an attempt for the email before its password is checked, and says whether it may
   * proceed. Synchronous check-and-count: concurrent attempts cannot all pass a check made before
   * the slow hash, so at most `maxFailures` passwords are verified per window. A success releases
   * the reservation (see `succeeded`); a failure simply keeps it.
   */
  reserve(email: string): boolean {
    if (this.blocked(email)) return false;
    const entry = this.current(email) ?? { count: 0, since: this.now() };
    entry.count += 1;
    this.failures.set(email, entry);
    if (this.failures.size > 100_000) this.prune();
    return true;
  }

  /** A right password: the email's count starts again. */
  succeeded(email: string): void {
    this.failures.delete(email);
  }

  private current(email: string) {
    const entry = this.failures.get(email);
    if (entry && this.now() - entry.since > this.windowMs) {
      this.failures.delete(email);
      return undefined;
    }
    return entry;
  }

  /** Bounds memory under a spray of emails: drop expired entries. */
  private prune(): void {
    for (const email of [...this.failures.keys()]) this.current(email);
  }
}
