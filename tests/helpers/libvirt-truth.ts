// What libvirt itself says about a domain, read through virsh's own commands (dominfo,
// domstate --reason, domid, domblklist, domiflist, vncdisplay, dumpxml --xpath) and put in
// the shape of Hangar's machine row. Deliberately independent of the agent's XML parser:
// a test that compared Hangar with Hangar's own parsing could not catch a parsing mistake.
import { virsh } from "./lab";

const SEP = "@@hangar-truth@@";

/** virsh's words for states and reasons (virsh-domain-monitor.c), in libvirt's enum order. */
const STATES: Record<string, { state: string; reasons: string[] }> = {
  "no state": { state: "nostate", reasons: ["unknown"] },
  running: {
    state: "running",
    reasons: [
      "unknown",
      "booted",
      "migrated",
      "restored",
      "from snapshot",
      "unpaused",
      "migration canceled",
      "save canceled",
      "event wakeup",
      "crashed",
      "post-copy",
      "post-copy failed",
    ],
  },
  idle: { state: "blocked", reasons: ["unknown"] },
  paused: {
    state: "paused",
    reasons: [
      "unknown",
      "user",
      "migrating",
      "saving",
      "dumping",
      "I/O error",
      "watchdog",
      "from snapshot",
      "shutting down",
      "creating snapshot",
      "crashed",
      "starting up",
      "post-copy",
      "post-copy failed",
      "api error",
    ],
  },
  "in shutdown": { state: "shutdown", reasons: ["unknown", "user"] },
  "shut off": {
    state: "shutoff",
    reasons: ["unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot", "daemon"],
  },
  crashed: { state: "crashed", reasons: ["unknown", "panicked"] },
  pmsuspended: { state: "pmsuspended", reasons: ["unknown"] },
};

export interface LibvirtTruth {
  summary: Record<string, unknown>;
  /** `virsh dumpxml` (live XML when running). */
  xml: string;
}

/** One virsh process for a batch of commands, so all answers describe the same moment. */
function batch(cmds: string[]): string[] {
  let out = "";
  try {
    out = virsh(cmds.join(` ; echo ${SEP} ; `));
  } catch (err) {
    // A command in the batch that fails (vncdisplay of a stopped domain) still lets the
    // others print; virsh then exits non-zero with the output intact.
    out = String((err as { stdout?: string }).stdout ?? "");
  }
  const parts = out.split(SEP).map((s) => s.trim());
  if (parts.length !== cmds.length) throw new Error(`virsh batch gave ${parts.length} answers for ${cmds.length} commands:\n${out}`);
  return parts;
}

function table(text: string): string[][] {
  // Header, dashes, rows; columns are separated by 2+ spaces.
  return text
    .split("\n")
    .slice(2)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split(/\s{2,}/));
}

/** ` name="value"` lines from `dumpxml --xpath` on attributes; `null` when none matched. */
function attrValue(text: string): string | null {
  const m = /^\s*[\w:-]+="(.*)"\s*$/m.exec(text);
  return m
    ? m[1]!
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&")
    : null;
}

const orNull = (s: string | undefined): string | null => (s === undefined || s === "-" ? null : s);

export function libvirtTruth(name: string): LibvirtTruth {
  const xp = (expr: string) => `dumpxml ${name} --xpath "${expr}"`;
  const [info, stateReason, domid, xml, virtType, graphicsTypes, serialTypes, blk, ifs, vnc, tty] = batch([
    `dominfo ${name}`,
    `domstate ${name} --reason`,
    `domid ${name}`,
    `dumpxml ${name}`,
    xp("/domain/@type"),
    xp("/domain/devices/graphics/@type"),
    xp("/domain/devices/serial/@type"),
    `domblklist ${name} --details`,
    `domiflist ${name}`,
    `vncdisplay ${name}`,
    `ttyconsole ${name}`,
  ]) as [string, string, string, string, string, string, string, string, string, string, string];

  const fields = new Map(info.split("\n").map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()] as const));
  const field = (k: string) => {
    const v = fields.get(k);
    if (v === undefined) throw new Error(`dominfo ${name} has no "${k}":\n${info}`);
    return v;
  };
  const kib = (k: string) => Number(/^(\d+) KiB$/.exec(field(k))?.[1] ?? NaN);

  const sr = /^(.+?) \((.+)\)$/.exec(stateReason);
  const st = STATES[sr?.[1] ?? stateReason];
  if (!st || !sr) throw new Error(`unknown domstate answer: ${stateReason}`);
  const reason = st.reasons.indexOf(sr[2]!);
  if (reason < 0) throw new Error(`unknown reason in: ${stateReason}`);

  const running = domid.trim() !== "-";
  const nGraphics = graphicsTypes ? graphicsTypes.split("\n").length : 0;
  const nSerials = serialTypes ? serialTypes.split("\n").length : 0;
  // Per-device attributes, asked one by one so a missing one is a missing one (null).
  const perDevice: string[] = [];
  for (let i = 1; i <= nGraphics; i++) {
    const g = `/domain/devices/graphics[${i}]`;
    perDevice.push(xp(`${g}/@type`), xp(`${g}/@port`), xp(`${g}/@listen`), xp(`${g}/listen/@address`), xp(`${g}/@socket`), xp(`${g}/listen/@socket`));
  }
  for (let i = 1; i <= nSerials; i++) {
    const s = `/domain/devices/serial[${i}]`;
    perDevice.push(xp(`${s}/@type`), xp(`${s}/source/@path`), xp(`${s}/target/@port`));
  }
  const disks = table(blk);
  for (const [, , target] of disks) {
    const d = `/domain/devices/disk[target/@dev='${target}']`;
    perDevice.push(xp(`${d}/target/@bus`), xp(`${d}/driver/@type`));
  }
  const attrs = perDevice.length ? batch(perDevice).map(attrValue) : [];
  let k = 0;
  const next = () => attrs[k++] ?? null;

  const graphics = [];
  for (let i = 0; i < nGraphics; i++) {
    const [type, port, listen, listenAddr, socket, listenSocket] = [next(), next(), next(), next(), next(), next()];
    // A running domain's VNC port is what vncdisplay says (5900 + display).
    const display = type === "vnc" && running ? /:(\d+)$/.exec(vnc)?.[1] : undefined;
    graphics.push({
      type,
      port: display !== undefined ? 5900 + Number(display) : port === null ? null : Number(port),
      listen: listen ?? listenAddr,
      socket: socket ?? listenSocket,
    });
  }
  const serials = [];
  for (let i = 0; i < nSerials; i++) {
    const [type, path, port] = [next(), next(), next()];
    serials.push({ type, path: i === 0 && type === "pty" && running ? orNull(tty) : path, target: port });
  }
  const diskRows = disks.map(([, device, target, source]) => {
    const [bus, format] = [next(), next()];
    return { target, device, bus, source: orNull(source), format };
  });
  const nics = table(ifs).map(([, type, source, model, mac]) => ({ mac: orNull(mac), type, source: orNull(source), model: orNull(model) }));

  return {
    xml,
    summary: {
      uuid: field("UUID"),
      name: field("Name"),
      id: running ? Number(domid) : -1,
      state: st.state,
      stateReason: reason,
      vcpus: Number(field("CPU(s)")),
      memoryKiB: kib("Used memory"),
      maxMemoryKiB: kib("Max memory"),
      autostart: field("Autostart") === "enable",
      persistent: field("Persistent") === "yes",
      virtType: attrValue(virtType),
      osType: field("OS Type"),
      graphics,
      serials,
      disks: diskRows,
      nics,
    },
  };
}
