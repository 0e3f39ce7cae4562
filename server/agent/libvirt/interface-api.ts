// Host network interfaces (virInterface*, libvirt's udev backend): where the create-VM
// wizard finds the host bridges a NIC of type 'bridge' can join.
import type { CallOptions, LibvirtClient } from "./client";
import { Limits, Proc } from "./procedures";
import type { XdrReader, XdrWriter } from "./xdr";

/** remote_nonnull_interface. */
export interface InterfaceRef {
  name: string;
  mac: string;
}

export const readInterface = (r: XdrReader): InterfaceRef => ({ name: r.string(), mac: r.string() });
const writeInterface = (w: XdrWriter, i: InterfaceRef) => w.string(i.name).string(i.mac);

/** Host interfaces (ListInterfacesFlags.*; 0 = all, up or down). */
export function interfaceList(client: LibvirtClient, flags = 0, opts?: CallOptions): Promise<InterfaceRef[]> {
  return client.call(
    Proc.CONNECT_LIST_ALL_INTERFACES,
    (w) => w.int(1).uint(flags),
    (r) => {
      const ifaces = r.array(readInterface, Limits.INTERFACE_LIST_MAX);
      r.uint();
      return ifaces;
    },
    opts,
  );
}

/** `<interface type='bridge'|'ethernet'|…>`: the type tells a bridge from a plain NIC. */
export function interfaceGetXmlDesc(client: LibvirtClient, iface: InterfaceRef, flags = 0, opts?: CallOptions): Promise<string> {
  return client.call(
    Proc.INTERFACE_GET_XML_DESC,
    (w) => {
      writeInterface(w, iface);
      w.uint(flags);
    },
    (r) => r.string(),
    opts,
  );
}
