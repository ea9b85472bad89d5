/** The regions the create forms offer (Keyless accepts these; the group's own comes first). */
export const LOCATIONS = ['eastus', 'eastus2', 'westus', 'westeurope', 'northeurope', 'swedencentral', 'uksouth', 'japaneast'];
