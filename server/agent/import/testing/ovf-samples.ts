// OVF descriptors as VMware (ovftool / vSphere export) and VirtualBox write them, trimmed to
// the parts Hangar reads; tests (unit and integration) build variants from these.
export interface OvfSampleOptions {
  name?: string;
  vcpus?: string;
  memory?: string;
  memoryUnits?: string;
  nics?: string[];
  efi?: boolean;
  diskFile?: string;
  /** ResourceSubType of every NIC (VMware writes VmxNet3 or E1000). */
  nicModel?: string;
}

/** A VMware-style OVF 1.0 (ovf:/rasd:/vssd:/vmw: prefixes, vmw:Config for EFI). */
export function vmwareOvf(o: OvfSampleOptions = {}): string {
  const nics = (o.nics ?? ["VM Network"])
    .map(
      (n, i) => `      <Item>
        <rasd:AddressOnParent>${7 + i}</rasd:AddressOnParent>
        <rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>
        <rasd:Connection>${n}</rasd:Connection>
        <rasd:ElementName>Network adapter ${i + 1}</rasd:ElementName>
        <rasd:InstanceID>${10 + i}</rasd:InstanceID>
        <rasd:ResourceSubType>${o.nicModel ?? "VmxNet3"}</rasd:ResourceSubType>
        <rasd:ResourceType>10</rasd:ResourceType>
      </Item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope vmw:buildId="build-123" xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <References>
    <File ovf:href="${o.diskFile ?? "disk1.vmdk"}" ovf:id="file1" ovf:size="68608"/>
  </References>
  <DiskSection>
    <Info>Virtual disk information</Info>
    <Disk ovf:capacity="64" ovf:capacityAllocationUnits="byte * 2^20" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized" ovf:populatedSize="0"/>
  </DiskSection>
  <NetworkSection>
    <Info>The list of logical networks</Info>
    <Network ovf:name="VM Network"><Description>The VM Network network</Description></Network>
  </NetworkSection>
  <VirtualSystem ovf:id="${o.name ?? "web-01"}">
    <Info>A virtual machine</Info>
    <Name>${o.name ?? "web-01"}</Name>
    <OperatingSystemSection ovf:id="96" vmw:osType="debian10_64Guest"><Info>The kind of installed guest operating system</Info></OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType>
      </System>
      <Item>
        <rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>
        <rasd:Description>Number of Virtual CPUs</rasd:Description>
        <rasd:ElementName>${o.vcpus ?? "2"} virtual CPU(s)</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>${o.vcpus ?? "2"}</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:AllocationUnits>${o.memoryUnits ?? "byte * 2^20"}</rasd:AllocationUnits>
        <rasd:Description>Memory Size</rasd:Description>
        <rasd:ElementName>Memory</rasd:ElementName>
        <rasd:InstanceID>2</rasd:InstanceID>
        <rasd:ResourceType>4</rasd:ResourceType>
        <rasd:VirtualQuantity>${o.memory ?? "256"}</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:Address>0</rasd:Address>
        <rasd:ElementName>SCSI controller 0</rasd:ElementName>
        <rasd:InstanceID>3</rasd:InstanceID>
        <rasd:ResourceSubType>VirtualSCSI</rasd:ResourceSubType>
        <rasd:ResourceType>6</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AddressOnParent>0</rasd:AddressOnParent>
        <rasd:ElementName>Hard disk 1</rasd:ElementName>
        <rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>
        <rasd:InstanceID>4</rasd:InstanceID>
        <rasd:Parent>3</rasd:Parent>
        <rasd:ResourceType>17</rasd:ResourceType>
      </Item>
${nics}
${o.efi ? '      <vmw:Config ovf:required="false" vmw:key="firmware" vmw:value="efi"/>' : '      <vmw:Config ovf:required="false" vmw:key="firmware" vmw:value="bios"/>'}
      <vmw:Config ovf:required="false" vmw:key="tools.syncTimeWithHost" vmw:value="false"/>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`;
}

/** A VirtualBox-style OVF 1.0 (ovf: prefix on everything, "MegaBytes", E1000 NICs, vbox:Machine). */
export function virtualBoxOvf(o: OvfSampleOptions = {}): string {
  return `<?xml version="1.0"?>
<ovf:Envelope ovf:version="1.0" xml:lang="en-US" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vbox="http://www.virtualbox.org/ovf/machine">
  <ovf:References>
    <ovf:File ovf:id="file1" ovf:href="${o.diskFile ?? "alpine-disk001.vmdk"}"/>
  </ovf:References>
  <ovf:DiskSection>
    <ovf:Info>List of the virtual disks used in the package</ovf:Info>
    <ovf:Disk ovf:capacity="2147483648" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized" vbox:uuid="8c1b7a8e-0000-4000-8000-000000000001"/>
  </ovf:DiskSection>
  <ovf:NetworkSection>
    <ovf:Info>Logical networks used in the package</ovf:Info>
    <ovf:Network ovf:name="NAT"><ovf:Description>Logical network used by this appliance.</ovf:Description></ovf:Network>
  </ovf:NetworkSection>
  <ovf:VirtualSystem ovf:id="${o.name ?? "alpine"}">
    <ovf:Info>A virtual machine</ovf:Info>
    <ovf:OperatingSystemSection ovf:id="101"><ovf:Info>The kind of installed guest operating system</ovf:Info><ovf:Description>Linux26_64</ovf:Description><vbox:OSType ovf:required="false">Linux26_64</vbox:OSType></ovf:OperatingSystemSection>
    <ovf:VirtualHardwareSection>
      <ovf:Info>Virtual hardware requirements for a virtual machine</ovf:Info>
      <ovf:System><vssd:ElementName>Virtual Hardware Family</vssd:ElementName><vssd:InstanceID>0</vssd:InstanceID><vssd:VirtualSystemIdentifier>alpine</vssd:VirtualSystemIdentifier><vssd:VirtualSystemType>virtualbox-2.2</vssd:VirtualSystemType></ovf:System>
      <ovf:Item><rasd:Caption>${o.vcpus ?? "1"} virtual CPU</rasd:Caption><rasd:Description>Number of virtual CPUs</rasd:Description><rasd:ElementName>${o.vcpus ?? "1"} virtual CPU</rasd:ElementName><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>${o.vcpus ?? "1"}</rasd:VirtualQuantity></ovf:Item>
      <ovf:Item><rasd:AllocationUnits>${o.memoryUnits ?? "MegaBytes"}</rasd:AllocationUnits><rasd:Caption>1024 MB of memory</rasd:Caption><rasd:Description>Memory Size</rasd:Description><rasd:ElementName>1024 MB of memory</rasd:ElementName><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>${o.memory ?? "1024"}</rasd:VirtualQuantity></ovf:Item>
      <ovf:Item><rasd:Address>0</rasd:Address><rasd:Caption>sataController0</rasd:Caption><rasd:Description>SATA Controller</rasd:Description><rasd:ElementName>sataController0</rasd:ElementName><rasd:InstanceID>3</rasd:InstanceID><rasd:ResourceSubType>AHCI</rasd:ResourceSubType><rasd:ResourceType>20</rasd:ResourceType></ovf:Item>
      <ovf:Item><rasd:AutomaticAllocation>true</rasd:AutomaticAllocation><rasd:Caption>Ethernet adapter on 'NAT'</rasd:Caption><rasd:Connection>NAT</rasd:Connection><rasd:ElementName>Ethernet adapter on 'NAT'</rasd:ElementName><rasd:InstanceID>4</rasd:InstanceID><rasd:ResourceSubType>E1000</rasd:ResourceSubType><rasd:ResourceType>10</rasd:ResourceType></ovf:Item>
      <ovf:Item><rasd:AddressOnParent>0</rasd:AddressOnParent><rasd:Caption>disk1</rasd:Caption><rasd:Description>Disk Image</rasd:Description><rasd:ElementName>disk1</rasd:ElementName><rasd:HostResource>/disk/vmdisk1</rasd:HostResource><rasd:InstanceID>5</rasd:InstanceID><rasd:Parent>3</rasd:Parent><rasd:ResourceType>17</rasd:ResourceType></ovf:Item>
    </ovf:VirtualHardwareSection>
    <vbox:Machine ovf:required="false" version="1.16-linux" uuid="{8c1b7a8e-0000-4000-8000-000000000002}" name="alpine" OSType="Linux26_64">
      <ovf:Info>Complete VirtualBox machine configuration in VirtualBox format</ovf:Info>
      <Hardware>
        <CPU count="${o.vcpus ?? "1"}"/>
        <Memory RAMSize="${o.memory ?? "1024"}"/>
        ${o.efi ? '<Firmware type="EFI"/>' : ""}
      </Hardware>
    </vbox:Machine>
  </ovf:VirtualSystem>
</ovf:Envelope>
`;
}
