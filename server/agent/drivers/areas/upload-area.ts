// Writing an uploaded image into a storage volume: what its handlers need from a driver.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the area's methods land with its feature
export interface UploadArea {}
