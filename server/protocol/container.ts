// Containers on a host's Docker-API engine (Podman's compatible socket or Docker): the
// shapes the agent reports, the create spec browsers send, and their validation.
import { z } from "zod";

export const ContainerId = z.string().regex(/^[0-9a-f]{12,64}$/, "a container id (12-64 hex digits)");
export const ContainerName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, "1-128 letters, digits, _ . or -, starting with a letter or digit");
export const ImageRef = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._/:@-]*$/, "an image reference such as busybox:latest or registry.example.com/app@sha256:…");

export const CONTAINER_STATES = ["created", "running", "paused", "restarting", "removing", "exited", "dead", "unknown"] as const;
export const ContainerState = z.enum(CONTAINER_STATES);
export type ContainerState = z.infer<typeof ContainerState>;

export const PortMapping = z.strictObject({
  ip: z.string().max(64).nullable(),
  privatePort: z.number().int().min(0).max(65535),
  publicPort: z.number().int().min(0).max(65535).nullable(),
  type: z.string().max(8),
});

export const ContainerSummary = z.strictObject({
  id: ContainerId,
  name: z.string().max(256),
  image: z.string().max(512),
  imageId: z.string().max(128),
  command: z.string().max(1024),
  state: ContainerState,
  status: z.string().max(256),
  createdAt: z.string(),
  ports: z.array(PortMapping).max(256),
  health: z.enum(["healthy", "unhealthy", "starting"]).nullable(),
});
export type ContainerSummary = z.infer<typeof ContainerSummary>;

export const EngineInfo = z.strictObject({
  kind: z.enum(["podman", "docker", "unknown"]),
  version: z.string().max(64),
  apiVersion: z.string().max(32),
  socket: z.string().max(512),
});
export type EngineInfo = z.infer<typeof EngineInfo>;

export const CONTAINER_ACTIONS = ["start", "stop", "restart", "pause", "unpause", "kill", "remove"] as const;
export const ContainerAction = z.enum(CONTAINER_ACTIONS);
export type ContainerAction = z.infer<typeof ContainerAction>;

const EnvKey = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const ContainerCreateSpec = z
  .strictObject({
    name: ContainerName.optional(),
    image: ImageRef,
    cmd: z.array(z.string().max(4096)).max(64).optional(),
    env: z
      .array(
        z
          .string()
          .max(8192)
          .refine((e) => EnvKey.test(e.split("=")[0] ?? "") && e.includes("="), "each entry must be KEY=value with a valid variable name"),
      )
      .max(256)
      .optional(),
    ports: z
      .array(
        z.strictObject({
          hostPort: z.number().int().min(1).max(65535),
          containerPort: z.number().int().min(1).max(65535),
          protocol: z.enum(["tcp", "udp"]).default("tcp"),
          hostIp: z.union([z.ipv4(), z.ipv6()]).optional(),
        }),
      )
      .max(64)
      .optional(),
    volumes: z
      .array(
        z.strictObject({
          source: z
            .string()
            .min(1)
            .max(1024)
            .regex(/^(\/[^\0]*|[a-zA-Z0-9][a-zA-Z0-9_.-]*)$/, "an absolute host path or a volume name"),
          target: z
            .string()
            .min(1)
            .max(1024)
            .regex(/^\/[^\0]*$/, "an absolute path in the container"),
          readOnly: z.boolean().default(false),
        }),
      )
      .max(64)
      .optional(),
    restartPolicy: z.enum(["no", "always", "unless-stopped", "on-failure"]).default("no"),
    memoryBytes: z
      .number()
      .int()
      .min(6 * 1024 * 1024, "at least 6 MiB")
      .max(2 ** 50)
      .optional(),
    cpus: z.number().min(0.01).max(1024).optional(),
    start: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.ports?.forEach((p, i) => {
      const k = `${p.hostIp ?? "*"}:${p.hostPort}/${p.protocol}`;
      if (seen.has(k))
        ctx.addIssue({ code: "custom", path: ["ports", i, "hostPort"], message: `host port ${p.hostPort}/${p.protocol} is listed twice` });
      seen.add(k);
    });
  });
export type ContainerCreateSpec = z.output<typeof ContainerCreateSpec>;

export const ImageSummary = z.strictObject({
  id: z.string().max(128),
  tags: z.array(z.string().max(512)).max(256),
  size: z.number().nonnegative(),
  createdAt: z.string(),
  containers: z.number().int().nullable(),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

/** Terminal sessions into containers go through the console path with these kinds. */
export const ContainerStreamKind = z.enum(["exec", "logs"]);
export type ContainerStreamKind = z.infer<typeof ContainerStreamKind>;

/** Ceiling for image uploads (streamed; never held in memory); HANGAR_MAX_IMAGE_BYTES lowers it. */
export const MAX_IMAGE_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
