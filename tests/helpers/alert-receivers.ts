// Real receivers on loopback for alert notifications: an HTTP endpoint that records (or
// never answers) what it is sent, and an SMTP server (smtp-server from npm) that keeps
// every message it accepts.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type net from "node:net";
import { SMTPServer } from "smtp-server";

export interface Hit {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpReceiver {
  url: string;
  hits: Hit[];
  close: () => Promise<void>;
}

/** `hang`: reads each request and never answers it (until closed). */
export async function startHttpReceiver(opts: { hang?: boolean } = {}): Promise<HttpReceiver> {
  const hits: Hit[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString("utf8")));
    req.on("end", () => {
      hits.push({ at: Date.now(), headers: req.headers, body });
      if (!opts.hang) res.end("ok");
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Checks `X-Hangar-Signature: sha256=<hex>` against the body, as a receiver should (constant time). */
export function signatureValid(secret: string, hit: Hit): boolean {
  const got = String(hit.headers["x-hangar-signature"] ?? "");
  const want = `sha256=${createHmac("sha256", secret).update(hit.body).digest("hex")}`;
  return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

export interface Mail {
  at: number;
  from: string;
  to: string[];
  raw: string;
  subject: string;
}

export interface SmtpReceiver {
  port: number;
  mails: Mail[];
  close: () => Promise<void>;
}

export async function startSmtp(): Promise<SmtpReceiver> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, cb) {
      let raw = "";
      stream.on("data", (d: Buffer) => (raw += d.toString("utf8")));
      stream.on("end", () => {
        const subject = decodeHeader(headerOf(raw, "subject"));
        mails.push({
          at: Date.now(),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as net.AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** One header of a raw message, folded lines joined. */
export function headerOf(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const m = new RegExp(`^${name}:([^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*)`, "im").exec(head);
  return m ? m[1]!.replace(/\r?\n[ \t]/g, " ").trim() : "";
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) back to text. */
export function decodeHeader(v: string): string {
  return v.replace(/\?=\s+=\?/g, "?==?").replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _cs: string, enc: string, text: string) =>
    enc.toUpperCase() === "B"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(
          text.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          "latin1",
        ).toString("utf8"),
  );
}

/** The decoded text of a message body (quoted-printable or base64 parts are decoded). */
export function bodyText(raw: string): string {
  const qp = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  const b64 = [...raw.matchAll(/Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/gi)].map((m) =>
    Buffer.from(m[1]!.replace(/\s/g, ""), "base64").toString("utf8"),
  );
  return [Buffer.from(qp, "latin1").toString("utf8"), ...b64].join("\n");
}
