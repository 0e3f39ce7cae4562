export const NAV = [
  { href: "/", label: "Dashboard", icon: "▦" },
  { href: "/hosts", label: "Hosts", icon: "▤" },
  { href: "/machines", label: "Machines", icon: "◫" },
  { href: "/containers", label: "Containers", icon: "⬡" },
  { href: "/tasks", label: "Tasks", icon: "☰" },
  { href: "/settings", label: "Settings", icon: "⚙" },
] as const;
