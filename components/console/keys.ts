// X11 keysyms for the combos and for typing pasted text as keystrokes.
export const KEY = {
  ControlLeft: 0xffe3,
  AltLeft: 0xffe9,
  F1: 0xffbe,
  F2: 0xffbf,
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
} as const;

/** Key combos of the Keys menu; their labels are console.combos.<id> (key caps differ by language). */
export const COMBOS: { id: "ctrlAltF1" | "ctrlAltF2" | "ctrlAltBackspace" | "altTab"; keys: [number, string][] }[] = [
  {
    id: "ctrlAltF1",
    keys: [
      [KEY.ControlLeft, "ControlLeft"],
      [KEY.AltLeft, "AltLeft"],
      [KEY.F1, "F1"],
    ],
  },
  {
    id: "ctrlAltF2",
    keys: [
      [KEY.ControlLeft, "ControlLeft"],
      [KEY.AltLeft, "AltLeft"],
      [KEY.F2, "F2"],
    ],
  },
  {
    id: "ctrlAltBackspace",
    keys: [
      [KEY.ControlLeft, "ControlLeft"],
      [KEY.AltLeft, "AltLeft"],
      [KEY.BackSpace, "Backspace"],
    ],
  },
  {
    id: "altTab",
    keys: [
      [KEY.AltLeft, "AltLeft"],
      [KEY.Tab, "Tab"],
    ],
  },
];

/** Keysym for one character: Latin-1 maps directly; others use the Unicode keysym range. */
export function keysymFor(ch: string): number {
  if (ch === "\n" || ch === "\r") return KEY.Return;
  if (ch === "\t") return KEY.Tab;
  const cp = ch.codePointAt(0) ?? 0x20;
  return cp < 0x100 ? cp : 0x01000000 + cp;
}
