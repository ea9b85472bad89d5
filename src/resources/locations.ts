/**
 * Azure's public regions (`az account list-locations`, physical regions), by
 * programmatic and display name: the one table every region list derives from. Keyless serves every location; these are the ones its
 * location-scoped catalogue answers for besides those its groups and
 * resources already use (docs/compatibility.md).
 */
export const AZURE_REGION_TABLE: readonly { readonly name: string; readonly displayName: string }[] = [
  { name: 'australiacentral', displayName: 'Australia Central' },
  { name: 'australiacentral2', displayName: 'Australia Central 2' },
  { name: 'australiaeast', displayName: 'Australia East' },
  { name: 'australiasoutheast', displayName: 'Australia Southeast' },
  { name: 'austriaeast', displayName: 'Austria East' },
  { name: 'belgiumcentral', displayName: 'Belgium Central' },
  { name: 'brazilsouth', displayName: 'Brazil South' },
  { name: 'brazilsoutheast', displayName: 'Brazil Southeast' },
  { name: 'canadacentral', displayName: 'Canada Central' },
  { name: 'canadaeast', displayName: 'Canada East' },
  { name: 'centralindia', displayName: 'Central India' },
  { name: 'centralus', displayName: 'Central US' },
  { name: 'chilecentral', displayName: 'Chile Central' },
  { name: 'eastasia', displayName: 'East Asia' },
  { name: 'eastus', displayName: 'East US' },
  { name: 'eastus2', displayName: 'East US 2' },
  { name: 'francecentral', displayName: 'France Central' },
  { name: 'francesouth', displayName: 'France South' },
  { name: 'germanynorth', displayName: 'Germany North' },
  { name: 'germanywestcentral', displayName: 'Germany West Central' },
  { name: 'indonesiacentral', displayName: 'Indonesia Central' },
  { name: 'israelcentral', displayName: 'Israel Central' },
  { name: 'italynorth', displayName: 'Italy North' },
  { name: 'japaneast', displayName: 'Japan East' },
  { name: 'japanwest', displayName: 'Japan West' },
  { name: 'jioindiacentral', displayName: 'Jio India Central' },
  { name: 'jioindiawest', displayName: 'Jio India West' },
  { name: 'koreacentral', displayName: 'Korea Central' },
  { name: 'koreasouth', displayName: 'Korea South' },
  { name: 'malaysiawest', displayName: 'Malaysia West' },
  { name: 'mexicocentral', displayName: 'Mexico Central' },
  { name: 'newzealandnorth', displayName: 'New Zealand North' },
  { name: 'northcentralus', displayName: 'North Central US' },
  { name: 'northeurope', displayName: 'North Europe' },
  { name: 'norwayeast', displayName: 'Norway East' },
  { name: 'norwaywest', displayName: 'Norway West' },
  { name: 'polandcentral', displayName: 'Poland Central' },
  { name: 'qatarcentral', displayName: 'Qatar Central' },
  { name: 'southafricanorth', displayName: 'South Africa North' },
  { name: 'southafricawest', displayName: 'South Africa West' },
  { name: 'southcentralus', displayName: 'South Central US' },
  { name: 'southeastasia', displayName: 'Southeast Asia' },
  { name: 'southindia', displayName: 'South India' },
  { name: 'spaincentral', displayName: 'Spain Central' },
  { name: 'swedencentral', displayName: 'Sweden Central' },
  { name: 'switzerlandnorth', displayName: 'Switzerland North' },
  { name: 'switzerlandwest', displayName: 'Switzerland West' },
  { name: 'uaecentral', displayName: 'UAE Central' },
  { name: 'uaenorth', displayName: 'UAE North' },
  { name: 'uksouth', displayName: 'UK South' },
  { name: 'ukwest', displayName: 'UK West' },
  { name: 'westcentralus', displayName: 'West Central US' },
  { name: 'westeurope', displayName: 'West Europe' },
  { name: 'westindia', displayName: 'West India' },
  { name: 'westus', displayName: 'West US' },
  { name: 'westus2', displayName: 'West US 2' },
  { name: 'westus3', displayName: 'West US 3' },
];

/** The programmatic names (`eastus`). */
export const AZURE_REGIONS: readonly string[] = AZURE_REGION_TABLE.map((r) => r.name);

/** The display names ARM lists in a provider's resource types (`East US`). */
export const AZURE_REGION_DISPLAY_NAMES: readonly string[] = AZURE_REGION_TABLE.map((r) => r.displayName);

/** Azure's regions and `inUse` (locations Keyless already holds something in), lowercased, sorted. */
export function servedLocations(inUse: Iterable<string>): string[] {
  return [...new Set([...AZURE_REGIONS, ...[...inUse].map((l) => l.toLowerCase())])].sort();
}
