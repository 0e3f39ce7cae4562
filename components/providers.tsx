"use client";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ToastProvider, useToast } from "./ui/toasts";
import { ApiClientError } from "./lib/api";

function QueryProvider({ children }: { children: ReactNode }) {
  const toast = useToast();
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          // Freshness comes from pushed events, not from refetching on focus, on a network
          // coming back or on timers: after a reconnect the event socket resumes, and only
          // when it cannot does it refetch (live-events.ts).
          queries: {
            staleTime: 30_000,
            refetchOnWindowFocus: false,
            refetchOnReconnect: false,
            retry: (n, e) => !(e instanceof ApiClientError && e.status < 500) && n < 2,
          },
        },
        queryCache: new QueryCache({ onError: (e) => toast(e.message, "error") }),
        mutationCache: new MutationCache({ onError: (e) => toast(e.message, "error") }),
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

export function Providers({ children }: { children: ReactNode }) {
  return (
    <ToastProvider>
      <QueryProvider>{children}</QueryProvider>
    </ToastProvider>
  );
}
