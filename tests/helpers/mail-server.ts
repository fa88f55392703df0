// An SMTP server in this process (smtp-server), for tests that read the mail Curbside sends.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface Received {
  to: string[];
  raw: string;
  text: string;
}

/** An SMTP server on a fixed port, so that it can be stopped and started again at the same address. */
export class MailServer {
  received: Received[] = [];
  server: SMTPServer | null = null;
  port = 0;
  async start() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData: (stream, session, done) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const body = raw.slice(raw.indexOf("\r\n\r\n") + 4);
          // Undo quoted-printable soft line breaks and escapes.
          const text = body
            .replace(/=\r?\n/g, "")
            .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
          this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, text });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }
  async stop() {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server = null;
  }
}

/** The path of the first link in a mail's text that starts with `prefix` (on any host). */
export function linkIn(text: string, prefix: string): string | null {
  for (const match of text.matchAll(/https?:\/\/[^/\s]+(\/\S*)/g)) if (match[1]?.startsWith(prefix)) return match[1];
  return null;
}
