// Process entry: config → database → migrate → seed → buildApp → listen, and a graceful shutdown that lets
// in-flight requests finish and stops the embedded PostgreSQL cleanly.
import { join } from "node:path";
import closeWithGrace from "close-with-grace";
import { buildApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createDatabase } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { seedBase, seedDemo } from "./db/seed.ts";
import { openDatabaseServer, redactUrl } from "./db/server.ts";
import { sealAuditLog, waitForDatabase } from "./db/wait.ts";
import { scheduleMail } from "./mail/outbox.ts";
import { resolveSecret } from "./mail/secret.ts";
import { createMailer } from "./mail/transport.ts";
import { recordMissingHoldReasons } from "./moderation/hold-backfill.ts";
import { scheduleVerificationLapse } from "./moderation/verification-lapse.ts";
import { schedulePurge } from "./privacy/retention.ts";

const ROOT = join(import.meta.dirname, "..");

async function main() {
  const started = Date.now();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const say = (message: string) => console.log(`curbside: ${message}`);

  config = { ...config, appSecret: resolveSecret(config.appSecret, config.dataDir, say) };
  const server = await openDatabaseServer(config, say);
  say(`database: ${server.description}`);
  const db = createDatabase(server.url, config.databasePoolSize);
  const replica = config.databaseReadUrl ? createDatabase(config.databaseReadUrl, config.databaseReadPoolSize) : undefined;
  if (config.databaseReadUrl) say(`read replica: ${redactUrl(config.databaseReadUrl)} (DATABASE_READ_URL), for signed-out page views`);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let stopPurge: (() => void) | undefined;
  let stopLapse: (() => void) | undefined;
  let stopMail: (() => void) | undefined;
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log: say });

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) console.error(err);
    else say(`${signal ?? "exit"}: finishing requests in flight, then stopping`);
    stopPurge?.();
    stopLapse?.();
    stopMail?.();
    mailer.close();
    if (app) {
      app.startDraining();
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
      await app.close();
    }
    await db.$disconnect();
    await replica?.$disconnect();
    await server.stop();
    say("stopped cleanly");
  });

  try {
    if (!server.embedded) await waitForDatabase(server.url, config.databaseWaitMs, say);
    const { applied } = await migrate(server.url, join(ROOT, "migrations"), say);
    if (applied.length > 0) say(`applied ${applied.length} migration(s)`);
    const sealed = await sealAuditLog(server.url);
    if (sealed !== null) say(`audit log: ${sealed} (ModerationLog belongs to curbside_audit; this role may only read and add)`);
    await seedBase(db);
    if (config.seedDemo) {
      const seeded = await seedDemo(db);
      if (seeded) say("first run: demo content and demo accounts created (password: curbside-demo)");
    }
    // Posts held before hold reasons were stored get theirs once (see migrations/*_store_hold_reasons).
    const recorded = await recordMissingHoldReasons(db);
    if (recorded > 0) say(`recorded the hold reasons of ${recorded} waiting post(s)`);
    app = await buildApp({ config, db, replica, databaseUrl: server.url });
    stopPurge = schedulePurge(db, config.retentionDays, say);
    stopLapse = scheduleVerificationLapse(db, say);
    stopMail = scheduleMail(
      db,
      mailer,
      { publicUrl: config.publicUrl, secret: config.appSecret as string, everyMs: config.mailPollMs },
      say,
    );
    say(mailer.kind === "smtp" ? "mail: sending through SMTP_URL" : "mail: SMTP_URL unset, mail is written to this log");
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    console.error(error);
    await db.$disconnect().catch(() => {});
    await replica?.$disconnect().catch(() => {});
    await server.stop().catch(() => {});
    process.exit(1);
  }
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s — open ${config.publicUrl}`);
}

main().catch((error: unknown) => {
  console.error(`curbside: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
