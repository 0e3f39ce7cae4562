// Creating, cloning, importing and deleting VMs: methods the server calls on the agent (noun.verb, params and result).
export const VmCreateMethods = {} as const;
