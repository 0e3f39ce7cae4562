"use client";
// Small labelled controls for the wizard: each shows its error under it and ties it to the
// control (aria-describedby), so a screen reader announces why a field was refused.
import type { ReactNode } from "react";

const box = "rounded border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

export function FieldError({ id, error }: { id: string; error?: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} className="text-xs text-red-600 dark:text-red-400">
      {error}
    </p>
  ) : null;
}

export function Select({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  children,
  disabled,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
  disabled?: boolean;
}) {
  return (
    <div className="flex flex-col gap-1 text-sm">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
        className={box}
      >
        {children}
      </select>
      {hint && <span className="text-xs text-slate-500">{hint}</span>}
      <FieldError id={id} error={error} />
    </div>
  );
}

export function Input({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  ...rest
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
} & Omit<React.InputHTMLAttributes<HTMLInputElement>, "onChange" | "value" | "id">) {
  return (
    <div className="flex flex-col gap-1 text-sm">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className={box}
        {...rest}
      />
      {hint && (
        <span id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </span>
      )}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** A group of radio buttons (arrow keys move between them, as native radios do). */
export function Choice<T extends string>({
  name,
  legend,
  value,
  onChange,
  options,
}: {
  name: string;
  legend: string;
  value: T;
  onChange: (v: T) => void;
  options: { value: T; label: string; disabled?: boolean; hint?: string }[];
}) {
  return (
    <div role="radiogroup" aria-label={legend} className="flex flex-wrap gap-4 text-sm">
      {options.map((o) => (
        <label key={o.value} className={`flex items-center gap-2 ${o.disabled ? "text-slate-400" : ""}`} title={o.hint}>
          <input type="radio" name={name} value={o.value} checked={value === o.value} disabled={o.disabled} onChange={() => onChange(o.value)} />
          {o.label}
          {o.disabled && o.hint && <span className="text-xs">({o.hint})</span>}
        </label>
      ))}
    </div>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="flex flex-col gap-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <legend className="px-1 text-sm font-semibold">{title}</legend>
      {children}
    </fieldset>
  );
}
