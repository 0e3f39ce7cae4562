// The XML tab's save: the whole definition from the admin, checked before libvirt keeps
// it. Well-formed, a <domain> whose uuid and name are this domain's (an edit here must
// never define a second machine or rename one), then libvirt's own schema check
// (DefineXML VALIDATE): a refusal defines nothing, so the domain stays as it was.
import { XMLValidator } from "fast-xml-parser";
import {
  DefineFlags,
  DomainXmlFlags,
  ErrorCode,
  LibvirtError,
  domainDefineXml,
  domainGetXmlDesc,
  type DomainRef,
  type LibvirtClient,
} from "../../../libvirt";
import { fieldError } from "./errors";
import { attr, buildTree, child, children, domainNode, parseTree, setAttr, textOf } from "./xml-tree";

export async function defineXml(c: LibvirtClient, dom: DomainRef, xml: string): Promise<void> {
  const ok = XMLValidator.validate(xml);
  if (ok !== true) throw fieldError("xml", `not well-formed XML: ${ok.err.msg} (line ${ok.err.line}, column ${ok.err.col})`);
  let uuid: string;
  let name: string;
  try {
    const d = domainNode(parseTree(xml));
    uuid = textOf(child(d, "uuid")).trim().toLowerCase();
    name = textOf(child(d, "name")).trim();
  } catch {
    throw fieldError("xml", "the root element must be <domain>");
  }
  if (uuid !== dom.uuid) throw fieldError("xml", `the <uuid> must stay ${dom.uuid} (found ${uuid || "none"})`);
  if (name !== dom.name) throw fieldError("xml", `the <name> must stay ${dom.name} (found ${name || "none"}); renaming is not done here`);
  try {
    await domainDefineXml(c, await keepPasswords(c, dom, xml), DefineFlags.VALIDATE);
  } catch (err) {
    // Schema (XML_DETAIL), parse and configuration refusals are all about the XML the
    // admin wrote; only a lost connection or a host failure is not.
    if (err instanceof LibvirtError && !([ErrorCode.RPC, ErrorCode.NO_CONNECT, ErrorCode.SYSTEM_ERROR] as number[]).includes(err.code))
      throw fieldError("xml", err.message);
    throw err;
  }
}

/**
 * The XML the browser edits comes without passwords (read without SECURE); a <graphics>
 * left without one gets the current definition's password of the same type back, so
 * saving the XML tab never silently drops a VNC/SPICE password.
 */
async function keepPasswords(c: LibvirtClient, dom: DomainRef, xml: string): Promise<string> {
  const current = domainNode(parseTree(await domainGetXmlDesc(c, dom, DomainXmlFlags.INACTIVE | DomainXmlFlags.SECURE)));
  const secrets = new Map(
    children(child(current, "devices"), "graphics")
      .filter((g) => attr(g, "passwd") !== null)
      .map((g) => [attr(g, "type"), attr(g, "passwd")!] as const),
  );
  if (!secrets.size) return xml;
  const tree = parseTree(xml);
  let changed = false;
  for (const g of children(child(domainNode(tree), "devices"), "graphics")) {
    const pw = secrets.get(attr(g, "type"));
    if (pw !== undefined && attr(g, "passwd") === null) {
      setAttr(g, "passwd", pw);
      changed = true;
    }
  }
  return changed ? buildTree(tree) : xml;
}
