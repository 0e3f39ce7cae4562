"use client";
// uPlot is loaded on first use, so pages without charts never download it.
import type uPlot from "uplot";

let loading: Promise<typeof uPlot> | null = null;

export function loadUPlot(): Promise<typeof uPlot> {
  loading ??= Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(([m]) => m.default);
  return loading;
}

/** Axis and grid colours for the current colour scheme. */
export function themeColors(): { axis: string; grid: string } {
  const dark = typeof window !== "undefined" && window.matchMedia("(prefers-color-scheme: dark)").matches;
  return dark ? { axis: "#94a3b8", grid: "rgba(148,163,184,0.15)" } : { axis: "#475569", grid: "rgba(71,85,105,0.12)" };
}
