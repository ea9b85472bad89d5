/**
 * Azure's public regions (`az account list-locations`, physical regions), by
 * programmatic name. Keyless serves every location; these are the ones its
 * location-scoped catalogue answers for besides those its groups and
 * resources already use (docs/compatibility.md).
 */
export const AZURE_REGIONS: readonly string[] = [
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast', 'belgiumcentral', 'brazilsouth',
  'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralindia', 'centralus', 'chilecentral', 'eastasia', 'eastus', 'eastus2',
  'francecentral', 'francesouth', 'germanynorth', 'germanywestcentral', 'indonesiacentral', 'israelcentral', 'italynorth', 'japaneast',
  'japanwest', 'jioindiacentral', 'jioindiawest', 'koreacentral', 'koreasouth', 'malaysiawest', 'mexicocentral', 'newzealandnorth',
  'northcentralus', 'northeurope', 'norwayeast', 'norwaywest', 'polandcentral', 'qatarcentral', 'southafricanorth', 'southafricawest',
  'southcentralus', 'southeastasia', 'southindia', 'spaincentral', 'swedencentral', 'switzerlandnorth', 'switzerlandwest', 'uaecentral',
  'uaenorth', 'uksouth', 'ukwest', 'westcentralus', 'westeurope', 'westindia', 'westus', 'westus2', 'westus3',
];

/** Azure's regions and `inUse` (locations Keyless already holds something in), lowercased, sorted. */
export function servedLocations(inUse: Iterable<string>): string[] {
  return [...new Set([...AZURE_REGIONS, ...[...inUse].map((l) => l.toLowerCase())])].sort();
}
