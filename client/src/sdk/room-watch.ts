import type { PublicUser, Room, RoomId, UserId } from '../../../shared/types.js';
import type { MenteoClient } from './client.js';
import { Emitter } from './emitter.js';
import type { RoomDetail } from './rest.js';

/**
 * One room as its screen shows it (the room, both members, the next steps), kept current:
 * `room:updated` pushes replace the room at once (a newer `rev` only), and the next steps, which
 * only GET /api/rooms/:id computes, are fetched again shortly after each change and on reconnect.
 */
export class RoomWatch {
  private detail: RoomDetail | null = null;
  private readonly emitter = new Emitter<{ change: void; error: { error: unknown } }>();
  private readonly offs: Array<() => void>;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private loading: Promise<void> | null = null;
  private disposed = false;

  constructor(
    private readonly client: MenteoClient,
    readonly roomId: RoomId,
    /** How long to wait after a change before fetching the next steps again (changes come in bursts). */
    private readonly refetchMs = 150,
  ) {
    this.offs = [
      client.on('room', ({ room }) => room.id === roomId && this.apply(room)),
      client.on('connection', ({ state, resumed }) => state === 'connected' && resumed && this.scheduleRefresh()),
    ];
  }

  on<K extends 'change' | 'error'>(event: K, fn: (p: K extends 'error' ? { error: unknown } : void) => void): () => void {
    return this.emitter.on(event, fn as never);
  }

  get room(): Room | null {
    return this.detail?.room ?? null;
  }

  get members(): PublicUser[] {
    return this.detail?.members ?? [];
  }

  get nextSteps(): string[] {
    return this.detail?.nextSteps ?? [];
  }

  member(userId: UserId): PublicUser | undefined {
    return this.members.find((m) => m.id === userId);
  }

  /** Loads the detail (the first time, or again). Rejects with the SdkError of the request. */
  refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const detail = await this.client.rest.room(this.roomId);
        if (this.disposed) return;
        // A push may have brought a newer room while the request was under way.
        const room = this.detail && this.detail.room.rev > detail.room.rev ? this.detail.room : detail.room;
        this.detail = { ...detail, room };
        this.emitter.emit('change', undefined);
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** A copy of the room from a push or from my own change's answer; older revisions are ignored. */
  apply(room: Room): void {
    if (room.id !== this.roomId || (this.detail && room.rev < this.detail.room.rev)) return;
    const changed = !this.detail || room.rev > this.detail.room.rev;
    this.detail = this.detail ? { ...this.detail, room } : { room, members: [], nextSteps: [] };
    if (changed) {
      this.emitter.emit('change', undefined);
      this.scheduleRefresh();
    }
  }

  private scheduleRefresh(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh().catch((error: unknown) => this.emitter.emit('error', { error }));
    }, this.refetchMs);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const off of this.offs) off();
    this.emitter.clear();
  }
}
