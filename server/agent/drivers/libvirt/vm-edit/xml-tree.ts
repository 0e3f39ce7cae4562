// Domain XML as an ordered tree (fast-xml-parser's preserveOrder form), for edits that
// must write back a definition or a device: the order of elements and every attribute
// libvirt wrote survive the round trip, and user text only ever enters as a node value
// that the builder escapes, never by pasting strings.
import { XMLBuilder, XMLParser } from "fast-xml-parser";

/** One element: `{ tag: children, ":@": { "@attr": value } }`, or a text node `{ "#text": s }`. */
export type XNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  // Values stay strings: a MAC "52:54:00…" or a name "007" must not become numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
});
const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "@", suppressEmptyNode: true });

export function parseTree(xml: string): XNode[] {
  return parser.parse(xml) as XNode[];
}

export function buildTree(nodes: XNode[]): string {
  return builder.build(nodes) as string;
}

export function tagOf(n: XNode): string | null {
  return Object.keys(n).find((k) => k !== ":@" && k !== "#text") ?? null;
}

export function kids(n: XNode): XNode[] {
  const t = tagOf(n);
  return t ? (n[t] as XNode[]) : [];
}

export function attr(n: XNode | undefined, name: string): string | null {
  const a = n?.[":@"] as Record<string, string> | undefined;
  const v = a?.[`@${name}`];
  return v === undefined ? null : String(v);
}

export function setAttr(n: XNode, name: string, value: string): void {
  n[":@"] = { ...((n[":@"] as Record<string, string> | undefined) ?? {}), [`@${name}`]: value };
}

export function child(n: XNode | undefined, tag: string): XNode | undefined {
  return n ? kids(n).find((c) => tagOf(c) === tag) : undefined;
}

export function children(n: XNode | undefined, tag: string): XNode[] {
  return n ? kids(n).filter((c) => tagOf(c) === tag) : [];
}

export function textOf(n: XNode | undefined): string {
  return n
    ? kids(n)
        .map((c) => (typeof c["#text"] === "string" ? c["#text"] : ""))
        .join("")
    : "";
}

/** A new element; attribute values and text are escaped by the builder. */
export function el(tag: string, attrs: Record<string, string> = {}, content: XNode[] = []): XNode {
  const a = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [`@${k}`, v]));
  return Object.keys(a).length ? { [tag]: content, ":@": a } : { [tag]: content };
}

export function txt(s: string): XNode {
  return { "#text": s };
}

/** Removes the children of `n` named `tag`. */
export function removeChildren(n: XNode, tag: string): void {
  const t = tagOf(n)!;
  n[t] = kids(n).filter((c) => tagOf(c) !== tag);
}

/** Replaces (or appends) the child `tag` of `n`. */
export function replaceChild(n: XNode, tag: string, next: XNode): void {
  const t = tagOf(n)!;
  const list = kids(n);
  const i = list.findIndex((c) => tagOf(c) === tag);
  if (i >= 0) list[i] = next;
  else list.push(next);
  n[t] = list;
}

/** The `<domain>` element of a parsed definition. */
export function domainNode(tree: XNode[]): XNode {
  const d = tree.find((n) => tagOf(n) === "domain");
  if (!d) throw new Error("not a domain definition");
  return d;
}

/** A single element serialized on its own (a device for attach/update/detach). */
export function buildOne(n: XNode): string {
  return buildTree([n]);
}
