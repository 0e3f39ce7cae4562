"use client";
// Fetch functions → query hooks. Components use these hooks, never fetch directly.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./api";
import { keys } from "./query-keys";
import { roleCan, type Permission } from "@/server/protocol/roles";

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

export const fetchMe = () => api<{ user: PublicUser; session: { id: string; expiresAt: string } }>("/api/auth/me");
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
export function useCan(permission: Permission): boolean {
  const me = useMe();
  return me.data ? roleCan(me.data.user.role, permission) : false;
}
