"use client";
// The command palette's search: typed text → GET /api/search, debounced so a fast typist
// sends one request per pause, not per key; the previous answer stays up meanwhile.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { SearchHit } from "@/server/protocol/search";
import { api } from "./api";
import { keys } from "./query-keys";

const DEBOUNCE_MS = 120;

export const fetchSearch = (q: string) => api<{ hits: SearchHit[] }>(`/api/search?q=${encodeURIComponent(q)}&limit=12`);

export function useSearch(text: string) {
  const [q, setQ] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text]);
  return useQuery({
    queryKey: keys.search(q),
    queryFn: () => fetchSearch(q),
    enabled: q.length > 0,
    staleTime: 5_000,
    placeholderData: keepPreviousData,
  });
}
