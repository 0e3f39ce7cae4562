// VM names in Chinese, Japanese and Korean are drawn with real glyphs in the machines
// table, not as boxes ("tofu"): the UI's font stack names a CJK font and the lab installs
// one (fonts-noto-cjk). The names come from a real agent reading libvirt's test driver
// through libvirtd. Each character is drawn on a canvas in the name's own computed font
// and compared with a character no font has (U+10FFFD): a missing glyph draws the same
// box as that one; a real glyph does not, and two different characters differ.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { guardSpec } from "../tests/helpers/lab-env";
import { expect, test } from "@playwright/test";
import { signIn } from "./session";
import { enrollAgent } from "./agent";

const NAMES = ["测试虚拟机-1", "テスト仮想マシン", "테스트-가상머신"];

guardSpec(test, "libvirt");

const base = () => process.env.HANGAR_E2E_URL!;
let node = "";
let cleanup: () => void = () => undefined;
let hostId = "";

test.beforeAll(async ({ request }) => {
  node = path.join(os.tmpdir(), `hangar-e2e-cjk-${process.pid}.xml`);
  const doms = NAMES.map(
    (name, i) =>
      `<domain type='test'><name>${name}</name><uuid>00000000-0000-4000-8c1d-00000000000${i}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`,
  );
  fs.writeFileSync(
    node,
    `<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads><active>2</active><mhz>2000</mhz><model>x86</model></cpu><memory>2500000</memory>${doms.join("")}</node>`,
  );
  const headers = { "X-Hangar-CSRF": "1", Origin: base() };
  const login = await request.post(`${base()}/api/auth/login`, { data: { username: "admin", password: "a long enough e2e password" }, headers });
  if (!login.ok())
    await request.post(`${base()}/api/setup`, {
      data: { token: process.env.HANGAR_E2E_SETUP_TOKEN, username: "admin", password: "a long enough e2e password" },
      headers,
    });
  // This agent reads only the test-driver domains, and no container engine (the shared
  // Podman belongs to the containers spec).
  const saved = { uri: process.env.HANGAR_LIBVIRT_URI, socket: process.env.HANGAR_CONTAINER_SOCKET };
  process.env.HANGAR_LIBVIRT_URI = `test://${node}`;
  process.env.HANGAR_CONTAINER_SOCKET = path.join(os.tmpdir(), "hangar-e2e-no-engine.sock");
  try {
    const a = await enrollAgent(request, "cjk-host");
    cleanup = a.cleanup;
    hostId = a.hostId;
  } finally {
    for (const [k, v] of [
      ["HANGAR_LIBVIRT_URI", saved.uri],
      ["HANGAR_CONTAINER_SOCKET", saved.socket],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test.afterAll(async ({ request }) => {
  cleanup();
  if (hostId) await request.delete(`${base()}/api/hosts/${hostId}`, { headers: { "X-Hangar-CSRF": "1", Origin: base() } });
  fs.rmSync(node, { force: true });
});

test("CJK machine names render with real glyphs, not boxes", async ({ page }) => {
  await signIn(page);
  await page.goto(base() + "/machines");
  await page.getByLabel("Search machines").fill("cjk-host");
  for (const name of NAMES) {
    const link = page.locator(`[data-testid="machine-row"][data-name="${name}"]`).getByRole("link", { name });
    await expect(link).toBeVisible({ timeout: 30_000 });
    const verdict = await link.evaluate((el, text) => {
      const font = getComputedStyle(el).font;
      const canvas = document.createElement("canvas");
      canvas.width = 64;
      canvas.height = 64;
      const g = canvas.getContext("2d", { willReadFrequently: true })!;
      const draw = (ch: string) => {
        g.clearRect(0, 0, 64, 64);
        g.font = font;
        g.textBaseline = "middle";
        g.fillStyle = "#000";
        g.fillText(ch, 8, 32);
        return Array.from(g.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3)).join(",");
      };
      const missing = draw(String.fromCodePoint(0x10fffd));
      const chars = [...text].filter((c) => /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u.test(c));
      const drawn = chars.map(draw);
      return {
        font,
        chars: chars.length,
        tofu: chars.filter((_, i) => drawn[i] === missing),
        blank: chars.filter((_, i) => !/[1-9]/.test(drawn[i]!)),
        distinct: new Set(drawn).size,
      };
    }, name);
    expect(verdict.chars, `CJK characters in ${name}`).toBeGreaterThan(3);
    expect(verdict.tofu, `characters of ${name} drawn as the missing-glyph box in ${verdict.font}`).toEqual([]);
    expect(verdict.blank, `characters of ${name} drawn as nothing`).toEqual([]);
    // Different characters, different shapes (boxes would all look alike).
    expect(verdict.distinct, `distinct glyphs among ${verdict.chars} characters of ${name}`).toBeGreaterThan(verdict.chars / 2);
  }
});
