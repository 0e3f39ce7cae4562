"use client";
// The search box and filter selects above the resource tables.
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
  options: readonly (readonly [value: string, text: string])[];
}) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={`px-2 ${FIELD}`}>
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}

/** Running / paused / stopped: the state filter both tables offer. */
export const STATE_FILTERS = [
  ["all", "All states"],
  ["running", "Running"],
  ["paused", "Paused"],
  ["stopped", "Stopped"],
] as const;
