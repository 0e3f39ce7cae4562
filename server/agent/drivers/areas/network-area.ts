// Virtual networks of a hypervisor host (NAT, isolated, bridged) and their DHCP leases: what its handlers need from a driver.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the area's methods land with its feature
export interface NetworkArea {}
