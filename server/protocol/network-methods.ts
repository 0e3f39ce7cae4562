// libvirt virtual networks: methods the server calls on the agent (noun.verb, params and result).
export const NetworkMethods = {} as const;
