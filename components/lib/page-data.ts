"use client";
// The first data of the main pages, by path, so that it can be requested before the page
// itself has arrived: the sign-in form starts it beside the navigation, and the page's
// hooks then find it in the cache (or in flight) instead of asking only once their
// JavaScript has run. Keys and fetchers are the hooks' own.
import type { QueryClient } from "@tanstack/react-query";
import { keys } from "./query-keys";
import { fetchMe } from "./queries";
import { fetchDashboard, fetchHosts, fetchMachines, fetchTasks } from "./resources";
import { fetchContainers } from "./container-resources";

type Prefetch = (qc: QueryClient) => Promise<void>;

const PAGE_DATA: Record<string, Prefetch> = {
  "/": (qc) => qc.prefetchQuery({ queryKey: keys.metrics.dashboard(), queryFn: fetchDashboard }),
  "/machines": (qc) => qc.prefetchQuery({ queryKey: keys.machines.list(), queryFn: fetchMachines }),
  "/containers": (qc) => qc.prefetchQuery({ queryKey: keys.containers.list(), queryFn: fetchContainers }),
  "/hosts": (qc) => qc.prefetchQuery({ queryKey: keys.hosts.list(), queryFn: fetchHosts }),
  "/tasks": (qc) => qc.prefetchQuery({ queryKey: keys.tasks.list(), queryFn: fetchTasks }),
};

/** Starts the requests the page at `href` begins with (and who the user is: every page's shell asks). */
export function prefetchPageData(qc: QueryClient, href: string): void {
  const path = new URL(href, "http://x").pathname;
  void qc.prefetchQuery({ queryKey: keys.me(), queryFn: fetchMe, staleTime: 60_000 });
  void PAGE_DATA[path]?.(qc);
}
