import { Ev } from '../../../shared/events.js';
import { MessageDeleteIn, MessageEditIn, MessageReactIn, MessageSendIn } from '../../../shared/schemas/message.js';
import type { Logger } from '../../log.js';
import type { Services } from '../../services.js';
import { handle, type AppSocket } from '../handle.js';

export function registerMessageHandlers(socket: AppSocket, log: Logger, { messages }: Services): void {
  // The ack is sent only after the store's commit returned: an acked message is durable.
  handle(socket, log, Ev.messageSend, MessageSendIn, async ({ echo, ...input }, user) => ({
    message: (await messages.send(user, input, echo === false ? socket.id : undefined)).message,
  }));
  handle(socket, log, Ev.messageEdit, MessageEditIn, async (input, user) => ({ message: await messages.edit(user, input) }));
  handle(socket, log, Ev.messageDelete, MessageDeleteIn, async (input, user) => {
    await messages.remove(user, input);
    return {};
  });
  handle(socket, log, Ev.messageReact, MessageReactIn, async (input, user) => ({ message: await messages.react(user, input) }));
}
