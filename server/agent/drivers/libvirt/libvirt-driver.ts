// placeholder until the RPC library lands
export function createLibvirtDriver(_o: { uri: string; socketPath: string | null }): never {
  throw new Error("not yet");
}
