// Changing an existing VM (devices, sizes, boot, XML) and its snapshots: methods the server calls on the agent (noun.verb, params and result).
export const VmEditMethods = {} as const;
