/** The Menteo client SDK: typed REST + Socket.IO over the shared protocol. No DOM; runs in browsers and Node. */
export { MenteoClient, type ClientOptions } from './client.js';
export type { ClientEvents, ConnectionState } from './events.js';
export { RoomDirectory, type DirectoryEntry } from './directory.js';
export { Emitter, type Listener } from './emitter.js';
export { SdkError, type SdkErrorCode } from './errors.js';
export { newClientMsgId } from './ids.js';
export { memoryStorage, type OutboxDraft, type OutboxEntry, type OutboxStatus, type OutboxStorage } from './outbox.js';
export { RestClient, type HistoryPage, type RestOptions, type Session } from './rest.js';
export { Timeline, type AddResult } from './timeline.js';
export type { JoinResult } from './wire.js';
