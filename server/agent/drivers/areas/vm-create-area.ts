// Creating a VM from a typed spec (disk volume, domain XML, first start): what its handlers need from a driver.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the area's methods land with its feature
export interface VmCreateArea {}
