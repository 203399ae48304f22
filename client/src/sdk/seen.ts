/**
 * Which seqs of one room this client has already reported: everything up to `floor`, plus the
 * few above it that arrived before their predecessors. Pushes and catch-up pages interleave, so
 * "above the highest seen" is not the same as "not seen yet".
 */
export class SeenSeqs {
  private floor = -1;
  private readonly above = new Set<number>();

  /** Records `seq`; true when it had not been seen. The first seq recorded sets the floor just below it. */
  add(seq: number): boolean {
    if (this.floor < 0) this.floor = seq - 1;
    if (seq <= this.floor || this.above.has(seq)) return false;
    this.above.add(seq);
    this.compact();
    return true;
  }

  /** Marks everything up to `seq` as seen without reporting it (older history pages). */
  raiseFloorTo(seq: number): void {
    if (this.floor < 0) this.floor = seq;
  }

  private compact(): void {
    while (this.above.delete(this.floor + 1)) this.floor += 1;
    // A hole that is never filled (a room only watched, not opened) must not grow the set forever.
    if (this.above.size > 1000) {
      this.floor = Math.min(...this.above) - 1;
      this.compact();
    }
  }
}
