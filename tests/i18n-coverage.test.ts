// Every UI string goes through the message catalogues (issue 16 point 4): this walks the
// syntax of every component and page and fails on text a user would read that is written
// in the code: JSX text, text attributes (title, placeholder, aria-label, alt, label), string
// literals rendered as JSX children, and capitalised words or sentences in string literals
// anywhere else in UI code (labels in maps, toasts, confirmations). Strings that are not
// for people (a key name, a CSS class, a protocol value) start with a lowercase letter or
// carry `i18n-ignore` in a comment on their line or the line before.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const DIRS = ["components", "app"];
const TEXT_ATTRS = new Set(["title", "placeholder", "aria-label", "alt", "label", "description", "heading", "confirmLabel", "emptyText"]);
// KeyboardEvent.key values and names that are the same in every language.
const ALLOWED = new Set([
  "Hangar",
  "Enter",
  "Escape",
  "Tab",
  "Backspace",
  "Delete",
  "ArrowUp",
  "ArrowDown",
  "ArrowLeft",
  "ArrowRight",
  "Home",
  "End",
  "PageUp",
  "PageDown",
  "Control",
  "Shift",
  "Alt",
  "Meta",
  "English",
  "Español",
]);

function uiFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (p.endsWith(path.join("app", "api")) || p.endsWith(path.join("app", "i18n"))) continue;
      out.push(...uiFiles(p));
    } else if (/\.tsx?$/.test(e.name) && !/\.(test|d)\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

const hasWords = (s: string) => /[A-Za-zÀ-ÿ]{2,}/.test(s);
const capitalised = (s: string) => /^[A-Z][a-z]+(?:[\s.,:;…!?)]|$)/.test(s.trim()) && !ALLOWED.has(s.trim());

/** The JSX construct a string literal ends up in, looking through ?:, ||, ??, &&, (), `${}`. */
function jsxHome(node: ts.Node): ts.Node | undefined {
  let n: ts.Node = node;
  while (
    n.parent &&
    (ts.isConditionalExpression(n.parent) ||
      ts.isParenthesizedExpression(n.parent) ||
      ts.isTemplateSpan(n.parent) ||
      ts.isTemplateExpression(n.parent) ||
      (ts.isBinaryExpression(n.parent) &&
        [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.PlusToken].includes(
          n.parent.operatorToken.kind,
        )))
  )
    n = n.parent;
  return n.parent && ts.isJsxExpression(n.parent) ? n.parent.parent : undefined;
}

function findings(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lines = text.split("\n");
  const out: string[] = [];
  const report = (node: ts.Node, what: string) => {
    const line = src.getLineAndCharacterOfPosition(node.getStart()).line;
    if (/i18n-ignore/.test(lines[line] ?? "") || /i18n-ignore/.test(lines[line - 1] ?? "")) return;
    out.push(`${path.relative(ROOT, file)}:${line + 1}: ${what.trim().slice(0, 60)}`);
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasWords(node.text)) report(node, node.text);
    else if (ts.isJsxAttribute(node) && node.initializer && ts.isStringLiteral(node.initializer)) {
      const name = node.name.getText(src);
      if (TEXT_ATTRS.has(name) && hasWords(node.initializer.text)) report(node, `${name}="${node.initializer.text}"`);
    } else if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const value = node.text;
      const parent = node.parent;
      const skip =
        ts.isImportDeclaration(parent) ||
        ts.isExportDeclaration(parent) ||
        ts.isLiteralTypeNode(parent) ||
        ts.isExpressionStatement(parent) || // "use client"
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        ts.isExternalModuleReference(parent) ||
        (ts.isCallExpression(parent) && /^(t|useTranslations|getTranslations|console\.\w+|require|import)$/.test(parent.expression.getText(src))) ||
        ts.isJsxAttribute(parent);
      if (!skip && hasWords(value)) {
        const home = jsxHome(ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node) ? node.parent.parent : node);
        const inJsxText =
          home && (ts.isJsxElement(home) || ts.isJsxFragment(home) || (ts.isJsxAttribute(home) && TEXT_ATTRS.has(home.name.getText(src))));
        if (inJsxText || capitalised(value)) report(node, JSON.stringify(value));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

describe("UI strings", () => {
  it("are all in the message catalogues (none written in components or pages)", () => {
    const all = DIRS.flatMap((d) => uiFiles(path.join(ROOT, d))).flatMap(findings);
    expect(all, `${all.length} strings outside the catalogues`).toEqual([]);
  });
});
