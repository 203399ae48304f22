import mongoose from 'mongoose';
import { ConfigError } from '../../config.js';
import type { Store } from '../port.js';
import { mongoNotifications, mongoOutbox, mongoReminders } from './notifications.js';
import { mongoCheckins } from './checkins.js';
import { mongoMeetings } from './meetings.js';
import { mongoSessions } from './sessions.js';
import { mongoDocs } from './docs.js';
import { mongoAppend, mongoAppendBatch, mongoMessages } from './messages.js';
import { models } from './models.js';
import { mongoRooms } from './rooms.js';
import { mongoTemplates } from './templates.js';
import { mongoThreads } from './threads.js';
import { DURABLE, Transactions } from './tx.js';
import { mongoUsers } from './users.js';

export interface MongoOptions {
  /** A MongoDB connection string naming the database (`mongodb://host/menteo?replicaSet=rs0`, `mongodb+srv://…`). */
  url: string;
  /** How long to look for a reachable server at start before giving up, in ms. */
  serverSelectionTimeoutMs?: number;
}

/** The URL without its password, for messages. */
const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

const NEEDS_REPLICA_SET =
  'Menteo needs a MongoDB replica set (transactions allocate message seqs). For development run a one-node replica set ' +
  '(mongod --replSet rs0, then mongosh --eval "rs.initiate()", and MONGODB_URL=mongodb://127.0.0.1:27017/menteo?replicaSet=rs0), ' +
  'or use MongoDB Atlas; or run with STORE=sqlite.';

/**
 * Opens the MongoDB store. Start-up checks stop the process with a ConfigError that names the
 * problem: an unreachable server, or one that is not a replica set member (a standalone mongod
 * cannot run transactions). Indexes are created before the store is returned.
 */
export async function openMongoStore(opts: MongoOptions): Promise<Store> {
  const conn = mongoose.createConnection(opts.url, {
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMs ?? 10_000,
    writeConcern: DURABLE, // every write an ack depends on: majority, journaled
    readPreference: 'primary',
    autoIndex: false,
    autoCreate: false,
  });
  try {
    await conn.asPromise();
  } catch (err) {
    await conn.close().catch(() => {});
    throw new ConfigError(`cannot reach MongoDB at ${redact(opts.url)}: ${(err as Error).message}. Start MongoDB (a replica set) or fix MONGODB_URL. ${NEEDS_REPLICA_SET}`);
  }
  const hello = (await conn.db!.admin().command({ hello: 1 })) as { setName?: string; msg?: string };
  if (hello.setName === undefined && hello.msg !== 'isdbgrid') {
    await conn.close();
    throw new ConfigError(`MongoDB at ${redact(opts.url)} is a standalone server, not a replica set member. ${NEEDS_REPLICA_SET}`);
  }
  const m = models(conn);
  for (const model of Object.values(m)) {
    await model.createCollection().catch((err: { codeName?: string }) => {
      if (err.codeName !== 'NamespaceExists') throw err;
    });
    await model.createIndexes();
  }
  const tx = new Transactions(conn);
  const appendBatch = mongoAppendBatch(m);
  const appendInTx = mongoAppend(appendBatch);
  let closed = false;
  return {
    kind: 'mongo',
    users: mongoUsers(m, tx),
    rooms: mongoRooms(m, tx, appendInTx),
    messages: mongoMessages(m, tx, appendBatch),
    threads: mongoThreads(m, tx),
    docs: mongoDocs(m, tx),
    sessions: mongoSessions(m, tx),
    notifications: mongoNotifications(m),
    reminders: mongoReminders(m),
    outbox: mongoOutbox(m),
    checkins: mongoCheckins(m),
    meetings: mongoMeetings(m),
    templates: mongoTemplates(m),
    async ping() {
      await conn.db!.admin().command({ ping: 1 });
    },
    async close() {
      if (closed) return;
      closed = true;
      await conn.close();
    },
  };
}
