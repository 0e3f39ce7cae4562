"use client";
// The search box and filter selects above the resource tables.
import { useTranslations } from "next-intl";

const FIELD = "rounded border border-slate-300 bg-white py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

export function SearchBox({
  label,
  placeholder,
  value,
  onChange,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <input aria-label={label} placeholder={placeholder} value={value} onChange={(e) => onChange(e.target.value)} className={`w-72 px-3 ${FIELD}`} />
  );
}

export function FilterSelect({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: readonly (readonly [value: string, text: OptionText])[];
}) {
  const t = useTranslations("common");
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={`px-2 ${FIELD}`}>
      {options.map(([v, text]) => {
        const shown = typeof text === "string" ? text : t(`states.${text.state}`);
        return (
          <option key={v} value={v}>
            {shown}
          </option>
        );
      })}
    </select>
  );
}

type StateFilter = "all" | "running" | "paused" | "stopped";
/** An option's text: already translated by the caller, or a state of the shared state filter
 * (translated here, so the tables that offer it need no words of their own for it). */
type OptionText = string | { state: StateFilter };

/** Running / paused / stopped: the state filter both tables offer. */
export const STATE_FILTERS = (["all", "running", "paused", "stopped"] as const).map((s) => [s, { state: s }] as const);
