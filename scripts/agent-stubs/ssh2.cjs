// Stands in for ssh2 in the agent bundle. docker-modem requires ssh2 at load time for
// DOCKER_HOST=ssh://…, which the agent never uses (it speaks to the engine's Unix socket),
// and ssh2's WebAssembly crypto costs each agent ~17 MiB of memory just by being loaded.
class Client {
  constructor() {
    throw new Error("the Hangar agent reaches container engines by Unix socket only; ssh:// is not supported");
  }
}
module.exports = { Client };
