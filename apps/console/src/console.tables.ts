import { CreateConsoleSession1764200000000 } from './migrations/1764200000000-create-console-session';
import { KeepEndedConsoleSessions1764220000000 } from './migrations/1764220000000-keep-ended-console-sessions';
import { ConsoleSessionEntity } from './session/console-session.entity';

/** What the console keeps in its own schema: sessions only; every record stays in the nodes. */
export const CONSOLE_TABLES = {
  entities: [ConsoleSessionEntity],
  migrations: [CreateConsoleSession1764200000000, KeepEndedConsoleSessions1764220000000],
};
