// Where mail goes: an SMTP server through nodemailer when SMTP_URL is set, otherwise the log (for
// development), so that nothing needs a mail server to run.
import nodemailer from "nodemailer";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  readonly kind: "smtp" | "log";
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function createMailer(options: { smtpUrl?: string; from: string; log: (message: string) => void }): Mailer {
  if (!options.smtpUrl) {
    return {
      kind: "log",
      async send(mail) {
        options.log(`mail (SMTP_URL unset, not sent) to ${mail.to}: ${mail.subject}\n${mail.text}`);
      },
      close() {},
    };
  }
  // Short timeouts: a mail server that hangs must not hold the worker; the outbox retries later.
  const url = new URL(options.smtpUrl);
  for (const [key, value] of Object.entries({ connectionTimeout: "5000", greetingTimeout: "5000", socketTimeout: "10000" })) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  }
  const transport = nodemailer.createTransport(url.toString());
  return {
    kind: "smtp",
    async send(mail) {
      await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, headers: mail.headers });
    },
    close() {
      transport.close();
    },
  };
}
