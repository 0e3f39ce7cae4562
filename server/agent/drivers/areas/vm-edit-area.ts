// Changing an existing VM (sizes, devices, boot, XML), its snapshots, clones and deletion with chosen volumes: what its handlers need from a driver.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the area's methods land with its feature
export interface VmEditArea {}
