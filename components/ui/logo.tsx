/** Hangar's mark: a hangar roof over a door (inline SVG: no icon font, no request). */
export function Logo({ className = "h-6 w-6" }: { className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className={className} fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round">
      <path d="M2 12 C 5 4, 19 4, 22 12 V 20 H 2 Z" />
      <path d="M8 20 V 14 H 16 V 20" />
    </svg>
  );
}
