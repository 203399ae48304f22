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

  failed(email: string): void {
    const entry = this.current(email) ?? { count: 0, since: this.now() };
    entry.count += 1;
    this.failures.set(email, entry);
    if (this.failures.size > 100_000) this.prune();
  }

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
