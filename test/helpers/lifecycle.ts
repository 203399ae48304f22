/** REST shortcuts for the mentorship lifecycle, as a real client calls them. */
import { api, type ApiResponse, type Session } from './clients.js';

/** A valid contract body with `n` goals, due in the future, review date 30 days ahead. */
export function contractBody(n: number, titles?: string[]) {
  const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  return {
    goals: Array.from({ length: n }, (_, i) => ({
      title: titles?.[i] ?? `Goal ${i + 1}`,
      metric: `measure ${i + 1}`,
      target: `${i + 1}`,
      dueDate: inDays(10 + i),
    })),
    groundRules: ['Come prepared', 'Say so early when something slips'],
    cadence: { every: '2w', channel: 'video call' },
    channels: ['Menteo chat', 'email'],
    reviewAt: inDays(30),
  };
}

export class Lifecycle {
  constructor(
    private readonly url: string,
    private readonly roomId: string,
  ) {}

  putContract(s: Session, body: unknown): Promise<ApiResponse> {
    return api(this.url, 'PUT', `/api/rooms/${this.roomId}/contract`, { token: s.token, body });
  }
  accept(s: Session, body?: unknown): Promise<ApiResponse> {
    return api(this.url, 'POST', `/api/rooms/${this.roomId}/contract/accept`, { token: s.token, ...(body !== undefined && { body }) });
  }
  goal(s: Session, goalId: string, body: unknown): Promise<ApiResponse> {
    return api(this.url, 'PATCH', `/api/rooms/${this.roomId}/goals/${goalId}`, { token: s.token, body });
  }
  stage(s: Session, to: string, note?: string): Promise<ApiResponse> {
    return api(this.url, 'POST', `/api/rooms/${this.roomId}/stage`, { token: s.token, body: { to, ...(note !== undefined && { note }) } });
  }
  room(s: Session): Promise<ApiResponse> {
    return api(this.url, 'GET', `/api/rooms/${this.roomId}`, { token: s.token });
  }
  record(s: Session, format?: string): Promise<ApiResponse> {
    return api(this.url, 'GET', `/api/rooms/${this.roomId}/record${format ? `?format=${format}` : ''}`, { token: s.token });
  }

  /** Expects 200 and returns the room. */
  static ok(res: ApiResponse): any {
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.room;
  }

  /** A weekly contract with a reply promise (hours per role), accepted by both, in Cultivation. Returns the room. */
  async promised(mentor: Session, mentee: Session, hours: { mentor: number; mentee: number } = { mentor: 24, mentee: 24 }): Promise<any> {
    Lifecycle.ok(await this.putContract(mentee, { ...contractBody(3), cadence: { every: '1w', channel: 'video' }, replyWithinHours: hours }));
    Lifecycle.ok(await this.accept(mentee));
    Lifecycle.ok(await this.accept(mentor));
    return Lifecycle.ok(await this.stage(mentor, 'cultivation'));
  }

  /**
   * Contract (n goals) accepted by both, Cultivation, every goal achieved (or the last dropped),
   * Separation, every goal acknowledged by both, Redefinition. Returns the room.
   */
  async toRedefinition(mentor: Session, mentee: Session, n = 3): Promise<any> {
    const drafted = Lifecycle.ok(await this.putContract(mentee, contractBody(n)));
    Lifecycle.ok(await this.accept(mentee));
    Lifecycle.ok(await this.accept(mentor));
    Lifecycle.ok(await this.stage(mentor, 'cultivation'));
    const ids: string[] = drafted.contract.goals.map((g: { id: string }) => g.id);
    for (const [i, id] of ids.entries()) Lifecycle.ok(await this.goal(mentee, id, { status: i === ids.length - 1 ? 'dropped' : 'achieved' }));
    Lifecycle.ok(await this.stage(mentee, 'separation'));
    for (const id of ids) {
      Lifecycle.ok(await this.goal(mentee, id, { acknowledge: true }));
      Lifecycle.ok(await this.goal(mentor, id, { acknowledge: true }));
    }
    return Lifecycle.ok(await this.stage(mentor, 'redefinition'));
  }
}
