import type { AccountService } from './account/service.js';
import type { AuthService } from './auth/service.js';
import type { CareService } from './care/service.js';
import type { GoalService } from './goals/service.js';
import type { MeetingService } from './meetings/service.js';
import type { LifecycleService } from './lifecycle/service.js';
import type { MentorService } from './mentors/service.js';
import type { MessageService } from './messages/service.js';
import type { NotificationService } from './notifications/service.js';
import type { RoadmapService } from './roadmap/service.js';
import type { RoomService } from './rooms/service.js';
import type { ThreadService } from './threads/service.js';
import type { UserService } from './users/service.js';

/** The application services, built once in app.ts and handed to each edge (REST, sockets, collab). */
export interface Services {
  auth: AuthService;
  /** Data export and account deletion. */
  account: AccountService;
  users: UserService;
  rooms: RoomService;
  messages: MessageService;
  threads: ThreadService;
  lifecycle: LifecycleService;
  mentors: MentorService;
  roadmap: RoadmapService;
  /** The notification inbox and preferences (issue 15). */
  notifications: NotificationService;
  /** Check-ins on measured goals (issue 19). */
  goals: GoalService;
  /** Sessions and action items (issue 19). */
  meetings: MeetingService;
  /** Health, reply promises, mentor responsiveness (issue 19). */
  care: CareService;
}
