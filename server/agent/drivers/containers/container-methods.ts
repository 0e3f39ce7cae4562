// The agent's answers to container.* and image.* calls.
import type { ContainerAction, ContainerCreateSpec, MethodName } from "../../../protocol";
import type { ContainerDriver } from "./container-driver";
import type { ContainerStreams } from "./container-streams";

export const CONTAINER_METHODS = new Set<MethodName>(["container.list", "container.inspect", "container.action", "container.rename", "container.create", "container.logs", "container.attach", "container.resize", "image.list", "image.remove", "image.pull", "image.load"]);

export async function dispatchContainer(method: MethodName, p: Record<string, unknown>, d: ContainerDriver, streams: ContainerStreams): Promise<unknown> {
  switch (method) {
    case "container.list":
      return d.connected ? { engine: d.engine, containers: await d.list() } : { engine: null, containers: [] };
    case "container.inspect":
      return d.inspect(p.id as string);
    case "container.action":
      return { container: await d.action(p.id as string, p.action as ContainerAction, p.force as boolean | undefined) };
    case "container.rename":
      return { container: await d.rename(p.id as string, p.name as string) };
    case "container.create":
      return { container: await d.create(p.spec as ContainerCreateSpec) };
    case "container.logs":
      return d.logs(p.id as string, p.tail as number, p.timestamps as boolean);
    case "container.attach": {
      const ch = { channel: p.channel as string, token: p.token as string };
      const endpoint = p.kind === "exec" ? await streams.exec(d.need(), p.id as string, ch, (p.cmd as string[] | undefined) ?? ["/bin/sh"], p.cols as number | undefined, p.rows as number | undefined) : await streams.logs(d.need(), p.id as string, ch);
      return { endpoint };
    }
    case "container.resize":
      await streams.resize(p.channel as string, p.cols as number, p.rows as number);
      return {};
    case "image.list":
      return { images: await d.images() };
    case "image.remove":
      await d.removeImage(p.id as string, p.force as boolean | undefined);
      return {};
    case "image.pull":
      return { image: await d.pull(p.ref as string) };
    case "image.load":
      return { images: await streams.loadImage(d.need(), { channel: p.channel as string, token: p.token as string }, p.mode as "load" | "import", p.name as string | undefined) };
    default:
      throw new Error(`not a container method: ${method}`);
  }
}
