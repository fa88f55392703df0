// The mail worker. Rows are leased with FOR UPDATE SKIP LOCKED, so several app instances never send the
// same mail twice at once; a failed send is retried with exponential backoff, and a mail is given up
// (FAILED) only after MAX_ATTEMPTS. Daily digests for physicians are queued here too.
//
// Mail goes only to confirmed addresses. That rule lives here, in the worker's own query, so that it holds
// whoever queued the mail: a NOTICE is sent only while a live account has confirmed its `to` address, and
// is otherwise closed as UNCONFIRMED. Only the two mails that prove or protect an address (CONFIRM_ADDRESS,
// SIGNUP_ATTEMPT) may go to an address no account has confirmed.
import type { Database } from "../db/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { MailKind } from "../generated/prisma/enums.ts";
import { expandLinks, type MailList, unsubscribePath } from "./tokens.ts";
import type { Mailer } from "./transport.ts";

export const MAX_ATTEMPTS = 10;
/** How long a leased mail is reserved for the instance sending it. */
const LEASE_MS = 5 * 60 * 1000;

export interface OutboxOptions {
  publicUrl: string;
  secret: string;
  /** The first retry waits this long; each further one twice as long, up to an hour. */
  retryBaseMs?: number;
  batch?: number;
}

// Checked again as each mail is leased, so an address that stopped being confirmed in between is not mailed.
const CONFIRMED_RECIPIENT = Prisma.sql`
  SELECT 1 FROM "User" u WHERE u.email = o."to" AND u."emailConfirmedAt" IS NOT NULL AND u."deletedAt" IS NULL`;

export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 60 * 60 * 1000);
}

export interface QueuedMail {
  to: string;
  userId?: string | null;
  subject: string;
  /** The message, without links and without health content: who did what. */
  text: string;
  /** Where the mail points, on this site; `{link:<id>}` is expanded to that row's token as the mail is sent. */
  path: string;
  threadId?: number | null;
  /** "questions" for a physician's mail about new questions, which its one-click unsubscribe turns off. */
  unsubscribeList?: "questions" | null;
  kind?: MailKind;
}

/** Queues a mail. Every mail Curbside sends is queued here (in the caller's transaction when given one). */
export async function queueMail(tx: Pick<Prisma.TransactionClient, "outboxEmail">, mail: QueuedMail): Promise<void> {
  await tx.outboxEmail.create({
    data: {
      userId: mail.userId ?? null,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      path: mail.path,
      threadId: mail.threadId ?? null,
      unsubscribeList: mail.unsubscribeList ?? null,
      kind: mail.kind ?? "NOTICE",
    },
  });
}

/**
 * The mail as sent: the message, the link, and how to stop it. Never any post text. Mail someone can stop
 * carries RFC 8058's one-click headers: a POST to the List-Unsubscribe URL stops it, while opening the link
 * (as mail providers' link scanners do) only shows a page with a button. Every mail here is sent by a
 * program, which Auto-Submitted says (RFC 3834), so that auto-responders do not answer it.
 */
export function composeMail(
  row: { userId: string | null; text: string; path: string; threadId: number | null; unsubscribeList?: string | null },
  options: Pick<OutboxOptions, "publicUrl" | "secret">,
) {
  const link = `${options.publicUrl}${expandLinks(options.secret, row.path)}`;
  const list: MailList | null =
    row.userId === null ? null : row.threadId ? { thread: row.threadId } : row.unsubscribeList === "questions" ? "questions" : null;
  const stop = list && row.userId ? `${options.publicUrl}${unsubscribePath(options.secret, row.userId, list)}` : null;
  const text = [
    row.text,
    "",
    link,
    "",
    "Curbside never puts health details in email.",
    stop === null
      ? `Change which emails you get: ${options.publicUrl}/account#mail-heading`
      : list === "questions"
        ? `Stop emails about new questions: ${stop}`
        : `Stop emails about this thread: ${stop}`,
  ].join("\n");
  const headers: Record<string, string> = { "Auto-Submitted": "auto-generated" };
  if (stop !== null) {
    headers["List-Unsubscribe"] = `<${stop}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return { text, headers };
}

/** Sends the mail that is due. Returns how many were sent and how many failed this round. */
export async function deliverDue(db: Database, mailer: Mailer, options: OutboxOptions): Promise<{ sent: number; failed: number }> {
  // A notice whose address no live account has confirmed is never sent (and not retried).
  await db.$executeRaw`
    UPDATE "OutboxEmail" o SET status = 'UNCONFIRMED', "lastError" = 'address not confirmed'
    WHERE o.status = 'PENDING' AND o.kind = 'NOTICE' AND NOT EXISTS (${CONFIRMED_RECIPIENT})`;
  const due = await db.$queryRaw<
    {
      id: number;
      userId: string | null;
      to: string;
      subject: string;
      text: string;
      path: string;
      threadId: number | null;
      unsubscribeList: string | null;
      attempts: number;
    }[]
  >`
    UPDATE "OutboxEmail" SET "nextAttemptAt" = now() + ${LEASE_MS} * interval '1 millisecond'
    WHERE id IN (
      SELECT id FROM "OutboxEmail" o WHERE status = 'PENDING' AND "nextAttemptAt" <= now()
        AND (o.kind <> 'NOTICE' OR EXISTS (${CONFIRMED_RECIPIENT}))
      ORDER BY "nextAttemptAt" LIMIT ${options.batch ?? 20} FOR UPDATE SKIP LOCKED
    )
    RETURNING id, "userId", "to", subject, text, path, "threadId", "unsubscribeList", attempts`;
  let sent = 0;
  let failed = 0;
  for (const row of due) {
    const mail = composeMail(row, options);
    try {
      await mailer.send({ to: row.to, subject: row.subject, text: mail.text, headers: mail.headers });
      await db.outboxEmail.update({
        where: { id: row.id },
        data: { status: "SENT", sentAt: new Date(), attempts: row.attempts + 1, lastError: null },
      });
      sent++;
    } catch (error) {
      failed++;
      const attempts = row.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      await db.outboxEmail.update({
        where: { id: row.id },
        data: {
          attempts,
          lastError: message.slice(0, 500),
          status: attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING",
          nextAttemptAt: new Date(Date.now() + backoffMs(attempts, options.retryBaseMs ?? 30_000)),
        },
      });
    }
  }
  return { sent, failed };
}

/**
 * Once a day per physician who chose the digest: one mail saying how many questions arrived in the categories
 * they follow (no titles: those are health content), with a link to their notifications.
 */
export async function queueDigests(db: Database, now = new Date()): Promise<number> {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const physicians = await db.physicianProfile.findMany({
    where: {
      status: "VERIFIED",
      questionMail: "DAILY",
      categoryIds: { isEmpty: false },
      OR: [{ lastDigestAt: null }, { lastDigestAt: { lte: dayAgo } }],
      user: { deletedAt: null },
    },
    select: { id: true, userId: true, categoryIds: true, lastDigestAt: true, user: { select: { email: true } } },
  });
  let queued = 0;
  for (const p of physicians) {
    const since = p.lastDigestAt ?? dayAgo;
    const count = await db.thread.count({
      where: {
        kind: "QUESTION",
        status: "APPROVED",
        withdrawnAt: null,
        categoryId: { in: p.categoryIds },
        approvedAt: { gt: since, lte: now },
      },
    });
    await db.$transaction(async (tx) => {
      // Guarded, so that two instances running this at once queue one digest.
      const { count: mine } = await tx.physicianProfile.updateMany({
        where: { id: p.id, lastDigestAt: p.lastDigestAt },
        data: { lastDigestAt: now },
      });
      if (mine !== 1 || count === 0) return;
      await queueMail(tx, {
        userId: p.userId,
        to: p.user.email,
        subject: `${count} new question${count === 1 ? "" : "s"} in your specialty`,
        text: `Patients asked ${count} new question${count === 1 ? "" : "s"} in the categories you follow on Curbside in the last day. Sign in to read ${count === 1 ? "it" : "them"}:`,
        path: "/notifications",
        unsubscribeList: "questions",
      });
      queued++;
    });
  }
  return queued;
}

/** Runs the worker every `everyMs` and the digests hourly, without keeping the process alive. */
export function scheduleMail(
  db: Database,
  mailer: Mailer,
  options: OutboxOptions & { everyMs: number },
  log: (message: string) => void,
): () => void {
  let running = false;
  let lastDigest = 0;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      if (Date.now() - lastDigest > 60 * 60 * 1000) {
        lastDigest = Date.now();
        await queueDigests(db);
      }
      const { sent, failed } = await deliverDue(db, mailer, options);
      if (failed > 0) log(`mail: ${failed} message(s) could not be sent; they will be retried with backoff`);
      if (sent > 0 && mailer.kind === "smtp") log(`mail: sent ${sent}`);
    } catch (error) {
      log(`mail: worker error, will retry: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, options.everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
