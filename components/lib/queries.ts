"use client";
// Fetch functions → query hooks. Components use these hooks, never fetch directly.
import type { Locale } from "@/server/protocol/locales";
import { useMemo } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./api";
import { keys } from "./query-keys";
import type { Permission } from "@/server/protocol/roles";
import { allows, grantSets, type GrantsJson, type Resource } from "@/server/protocol/access";

export interface PublicUser {
  id: string;
  username: string;
  role: string;
  createdAt: string;
  disabled?: boolean;
}

export interface SessionRow {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string;
  ip: string;
}

export const fetchMe = () =>
  api<{ user: PublicUser; session: { id: string; expiresAt: string }; grants: GrantsJson; preferences: { locale: Locale | null } }>("/api/auth/me");
export const fetchSessions = () => api<{ sessions: SessionRow[] }>("/api/sessions");

export function useMe() {
  return useQuery({ queryKey: keys.me(), queryFn: fetchMe, staleTime: 60_000 });
}

export function useSessions() {
  return useQuery({ queryKey: keys.sessions(), queryFn: fetchSessions });
}

export function useRevokeSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api/sessions/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.sessions() }),
  });
}

export function useLogout() {
  return useMutation({
    mutationFn: () => api("/api/auth/logout", { method: "POST" }),
    onSuccess: () => window.location.assign("/login"),
  });
}

/** Whether the signed-in user's role allows this; the server checks again on every call. */
/** A row a permission is checked on, with the tags it carries (machine and container rows have them). */
export type CanTarget = Resource & { tags?: readonly string[] };

/** The object a machine row's buttons act on. */
export const vmTarget = (m: { uuid: string; hostId: string; tags?: readonly string[] }): CanTarget => ({
  type: "vm",
  id: m.uuid,
  hostId: m.hostId,
  tags: m.tags,
});

/** The object a container row's buttons act on. */
export const containerTarget = (c: { id: string; hostId: string; tags?: readonly string[] }): CanTarget => ({
  type: "container",
  id: c.id,
  hostId: c.hostId,
  tags: c.tags,
});

/**
 * May the signed-in user do `permission` (on `target`; none: fleet-wide)? The server's own
 * rule (allows) on the grants /api/auth/me sent, so a button hidden here is one the server
 * would refuse. Until the grants arrive, nothing is allowed.
 */
export function useCan(permission: Permission, target?: CanTarget): boolean {
  const grants = useGrants();
  return grants ? allows(grants, permission, target, target?.tags) : false;
}

/** The caller's grant sets (null while /api/auth/me loads), for checks per row in a loop. */
export function useGrants() {
  const me = useMe();
  const raw = me.data?.grants;
  return useMemo(() => (raw ? grantSets(raw) : null), [raw]);
}
