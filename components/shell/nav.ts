// The main navigation; each item's label is shell.nav.<key> in the catalogues.
export const NAV = [
  { href: "/", key: "dashboard", icon: "▦" },
  { href: "/hosts", key: "hosts", icon: "▤" },
  { href: "/machines", key: "machines", icon: "◫" },
  { href: "/containers", key: "containers", icon: "⬡" },
  { href: "/tasks", key: "tasks", icon: "☰" },
  { href: "/alerts", key: "alerts", icon: "⚠", permission: "alert.read" },
  { href: "/backups", key: "backups", icon: "⛁", permission: "backup.read" },
  // Shown only to whoever may read it (admins): see AppShell.
  { href: "/audit", key: "audit", icon: "✎", permission: "audit.read" },
  { href: "/settings", key: "settings", icon: "⚙" },
] as const;
