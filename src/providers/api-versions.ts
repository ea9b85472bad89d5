/*
 * The api-versions each provider lists, newest first, as published in
 * azure-rest-api-specs (stable and preview folders of each provider's spec).
 * Keyless's ARM pipeline accepts every well-formed api-version for every
 * type (docs/compatibility.md, "api-version"), so each listed version is one
 * Keyless accepts; the lists say which ones Azure has, for the tools that
 * pick one (`az resource show --ids` takes the newest non-preview).
 */

export const COGNITIVE_SERVICES_VERSIONS = [
  '2025-09-01', '2025-07-01-preview', '2025-06-01', '2025-04-01-preview', '2024-10-01', '2024-06-01-preview',
  '2024-04-01-preview', '2023-10-01-preview', '2023-05-01', '2022-12-01', '2022-10-01', '2022-03-01', '2021-10-01',
  '2021-04-30', '2017-04-18', '2016-02-01-preview',
] as const;

/** Deployments appeared in 2021-10-01. */
export const COGNITIVE_SERVICES_DEPLOYMENT_VERSIONS = COGNITIVE_SERVICES_VERSIONS.filter((v) => v >= '2021-10-01');

export const MANAGED_IDENTITY_VERSIONS = [
  '2026-05-31', '2026-04-30', '2025-05-31-preview', '2025-01-31-preview', '2024-11-30', '2023-07-31-preview', '2023-01-31',
  '2022-01-31-preview', '2021-09-30-preview', '2018-11-30', '2015-08-31-preview',
] as const;

/** Federated identity credentials appeared in 2022-01-31-preview. */
export const FEDERATED_CREDENTIAL_VERSIONS = MANAGED_IDENTITY_VERSIONS.filter((v) => v >= '2022-01-31');

export const WEB_VERSIONS = [
  '2024-11-01', '2024-04-01', '2023-12-01', '2023-01-01', '2022-09-01', '2022-03-01', '2021-03-01', '2021-02-01',
  '2021-01-15', '2021-01-01', '2020-12-01', '2020-10-01', '2020-09-01', '2020-06-01', '2019-08-01', '2018-11-01',
  '2018-02-01', '2016-08-01', '2016-03-01', '2015-08-01',
] as const;

export const COMPUTE_VERSIONS = [
  '2025-04-01', '2024-11-01', '2024-07-01', '2024-03-01', '2023-09-01', '2023-07-01', '2023-03-01', '2022-11-01',
  '2022-08-01', '2022-03-01', '2021-11-01', '2021-07-01', '2021-04-01', '2021-03-01', '2020-12-01', '2020-06-01',
  '2019-12-01', '2019-07-01', '2019-03-01', '2018-10-01', '2018-06-01', '2018-04-01', '2017-12-01', '2017-03-30',
  '2016-04-30-preview', '2016-03-30', '2015-06-15',
] as const;

export const ROLE_ASSIGNMENT_VERSIONS = [
  '2022-04-01', '2022-01-01-preview', '2020-10-01-preview', '2020-08-01-preview', '2020-04-01-preview',
  '2020-03-01-preview', '2018-09-01-preview', '2018-01-01-preview', '2017-10-01-preview', '2015-07-01',
] as const;

export const ROLE_DEFINITION_VERSIONS = ['2022-05-01-preview', '2022-04-01', '2018-01-01-preview', '2015-07-01'] as const;

export const AUTHORIZATION_OPERATION_VERSIONS = ['2022-04-01', '2015-07-01'] as const;

export const RESOURCES_VERSIONS = [
  '2025-04-01', '2024-11-01', '2024-07-01', '2024-03-01', '2023-07-01', '2022-09-01', '2021-04-01', '2021-01-01',
  '2020-10-01', '2020-08-01', '2020-06-01', '2019-10-01', '2019-08-01', '2019-07-01', '2019-05-10', '2019-05-01',
  '2019-03-01', '2018-05-01', '2018-02-01', '2017-05-10', '2016-09-01', '2016-07-01', '2016-06-01', '2016-02-01',
  '2015-11-01', '2015-01-01', '2014-04-01',
] as const;
