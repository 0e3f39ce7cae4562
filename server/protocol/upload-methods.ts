// Uploads of ISO and disk images into a pool's volume: methods the server calls on the agent (noun.verb, params and result).
export const UploadMethods = {} as const;
