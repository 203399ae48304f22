import { Ev } from '../../../shared/events.js';
import { RoomJoinIn, RoomLeaveIn, RoomReadIn, RoomViewIn, TypingIn } from '../../../shared/schemas/room.js';
import { membersOf, sharesPresence } from '../../domain/rooms.js';
import { ServerLimits } from '../../limits.js';
import type { Services } from '../../services.js';
import { roomChannel } from '../broadcast.js';
import type { GatewayDeps } from '../gateway.js';
import { handle, type AppSocket } from '../handle.js';

export function registerRoomHandlers(socket: AppSocket, { log, presence, typing }: GatewayDeps, { rooms, messages }: Services): void {
  /**
   * Records which room this socket shows, in the presence store (counted per node, so the
   * producers ask it instead of every node's sockets). Read, set and count happen in one
   * synchronous step, so concurrent views and the disconnect handler see one order.
   */
  const moveView = (to: string | null): Promise<void> => {
    if (socket.disconnected) return Promise.resolve(); // the disconnect handler already cleared it
    const from = socket.data.viewing ?? null;
    socket.data.viewing = to;
    return presence.viewing(socket.data.user.id, from, to);
  };

  /**
   * Open a room: subscribe first, then read seq > since, so a message stored in between is
   * either in the page or delivered as message:new (clients drop seqs they hold).
   */
  handle(socket, log, Ev.roomJoin, RoomJoinIn, async (input, user) => {
    const room = await rooms.getForMember(user, input.roomId);
    await socket.join(roomChannel(room.id));
    const limit = input.limit ?? ServerLimits.joinPage;
    const page = await messages.history(user, room.id, input.since === undefined ? { limit } : { after: input.since, limit });
    const present = sharesPresence(room) ? await Promise.all(membersOf(room).map((id) => presence.entry(id))) : [];
    const reads = await messages.readMarkers(user, room.id);
    return { room, messages: page.messages, hasMore: page.hasMore, presence: present, reads };
  });

  handle(socket, log, Ev.roomLeave, RoomLeaveIn, async (input, user) => {
    await rooms.getForMember(user, input.roomId);
    await socket.leave(roomChannel(input.roomId));
    if (socket.data.viewing === input.roomId) await moveView(null);
    return {};
  });

  // Which room this device shows (issue 15): a message there is seen, not notified. Membership is
  // checked; the socket joins the room's channel (a shown room receives its events).
  handle(socket, log, Ev.roomView, RoomViewIn, async (input, user) => {
    if (input.roomId !== null) {
      await rooms.accessForMember(user, input.roomId);
      await socket.join(roomChannel(input.roomId));
    }
    await moveView(input.roomId);
    return {};
  });

  handle(socket, log, Ev.roomRead, RoomReadIn, async (input, user) => ({ seq: await messages.markRead(user, input.roomId, input.seq) }));

  // Typing is ephemeral: never stored, sent to the others who have the room open; it expires by itself.
  handle(socket, log, Ev.typing, TypingIn, async (input, user) => {
    await rooms.getForMember(user, input.roomId);
    typing.relay(input.roomId, user.id, input.typing, socket.id);
    return {};
  });
}
