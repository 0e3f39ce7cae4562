"use client";
// Scoped access data: groups, roles, assignments and tags. Fetch functions → hooks;
// every write invalidates the access keys and the caller's own grants (me), since a
// change may widen or narrow what they may do.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Permission } from "@/server/protocol/roles";
import { api } from "./api";
import { keys } from "./query-keys";
import type { PublicUser } from "./queries";

export interface GroupRow {
  id: string;
  name: string;
  description: string;
  assignments: number;
  members: { id: string; username: string; source: string }[];
}
export interface RoleRow {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  permissions: Permission[];
  assignments: number;
}
export type Scope = { type: "global" } | { type: "host" | "vm" | "tag"; id: string };
export interface AssignmentRow {
  id: string;
  subject: { type: "user" | "group"; id: string; name: string };
  role: string;
  roleName: string;
  scope: Scope;
  createdBy: string;
}

export const fetchGroups = () => api<{ groups: GroupRow[] }>("/api/groups");
export const fetchRoles = () => api<{ roles: RoleRow[] }>("/api/roles");
export const fetchAssignments = () => api<{ assignments: AssignmentRow[] }>("/api/assignments");
export const fetchTags = () => api<{ tags: { name: string; count: number }[] }>("/api/tags");

/** The team (same key and shape as the Team panel's list). */
export const useUsers = (enabled = true) => useQuery({ queryKey: keys.users(), queryFn: () => api<{ users: PublicUser[] }>("/api/users"), enabled });
export const useGroups = (enabled = true) => useQuery({ queryKey: keys.access.groups(), queryFn: fetchGroups, enabled });
export const useRoles = (enabled = true) => useQuery({ queryKey: keys.access.roles(), queryFn: fetchRoles, enabled });
export const useAssignments = (enabled = true) => useQuery({ queryKey: keys.access.assignments(), queryFn: fetchAssignments, enabled });
export const useTagNames = () => useQuery({ queryKey: keys.access.tags(), queryFn: fetchTags, staleTime: 30_000 });

/** A write to access data: afterwards every access list and the caller's grants are re-read. */
export function useAccessWrite<V>(call: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: keys.access.all() });
      await qc.invalidateQueries({ queryKey: keys.me() });
    },
  });
}

/** Replaces the tags of a VM or container; the row's upsert event brings them to the lists. */
export function useSetTags(kind: "machines" | "containers", hostId: string, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (tags: string[]) =>
      api<{ tags: string[] }>(`/api/${kind}/${encodeURIComponent(hostId)}/${encodeURIComponent(id)}/tags`, { method: "PUT", body: { tags } }),
    onSettled: async () => {
      await qc.invalidateQueries({ queryKey: kind === "machines" ? keys.machines.detail(hostId, id) : keys.containers.detail(hostId, id) });
      await qc.invalidateQueries({ queryKey: keys.access.tags() });
      // A tag may bring the VM into (or out of) the caller's own scope.
      await qc.invalidateQueries({ queryKey: keys.me() });
    },
  });
}
