export const NAV = [
  { href: "/", label: "Dashboard", icon: "▦" },
  { href: "/hosts", label: "Hosts", icon: "▤" },
  { href: "/machines", label: "Machines", icon: "◫" },
  { href: "/containers", label: "Containers", icon: "⬡" },
  { href: "/tasks", label: "Tasks", icon: "☰" },
  { href: "/alerts", label: "Alerts", icon: "⚠", permission: "alert.read" },
  { href: "/backups", label: "Backups", icon: "⛁", permission: "backup.read" },
  // Shown only to whoever may read it (admins): see AppShell.
  { href: "/audit", label: "Audit", icon: "✎", permission: "audit.read" },
  { href: "/settings", label: "Settings", icon: "⚙" },
] as const;
