// A libvirt test-driver node file with N fake domains (`test://<file>` for the agent,
// `test+unix://<file>` for virsh): thousands of real libvirt domains over the same RPC
// path as qemu:///system, without guests. Shared by the inventory and login benchmarks.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function writeTestNode(n: number): string {
  const file = path.join(os.tmpdir(), `hangar-bench-${n}-${process.pid}.xml`);
  const doms = Array.from({ length: n }, (_, i) => {
    const hex = i.toString(16).padStart(12, "0");
    return `<domain type='test'><name>bench-${i}</name><uuid>00000000-0000-4000-8000-${hex}</uuid><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices><graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/><serial type='pty'/></devices></domain>`;
  });
  fs.writeFileSync(file, `<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads><active>2</active><mhz>2000</mhz><model>x86</model></cpu><memory>25000000</memory>${doms.join("")}</node>`);
  return file;
}
