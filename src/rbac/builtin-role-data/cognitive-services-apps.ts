import type { BuiltInRoleData } from './types.js';

/*
 * Single-service Cognitive Services roles: Face, Immersive Reader, Custom
 * Vision, QnA Maker, Metrics Advisor. Source: MicrosoftDocs/azure-docs
 * built-in-roles/ai-machine-learning.md (ms.date 2024-12-12), JSON blocks.
 * Order: least to most privileged within each service.
 */
const CS = 'Microsoft.CognitiveServices';
const CV = `${CS}/accounts/CustomVision`;
const READ_ROLES = [`${CS}/*/read`, 'Microsoft.Authorization/roleAssignments/read', 'Microsoft.Authorization/roleDefinitions/read'];

/** The QnA Maker lists repeat the same operations under three prefixes, in this order. */
const QNA_PREFIXES = [`${CS}/accounts/QnAMaker`, `${CS}/accounts/QnAMaker.v2`, `${CS}/accounts/TextAnalytics/QnAMaker`];
const qna = (operations: readonly string[]): string[] => QNA_PREFIXES.flatMap((prefix) => operations.map((op) => `${prefix}/${op}`));

export const COGNITIVE_SERVICES_APP_ROLES: readonly BuiltInRoleData[] = [
  {
    id: '9894cab4-e18a-44aa-828b-cb588cd6f2d7',
    roleName: 'Cognitive Services Face Recognizer',
    description:
      "Lets you perform detect, verify, identify, group, and find similar operations on Face API. This role does not allow create or delete operations, which makes it well suited for endpoints that only need inferencing capabilities, following 'least privilege' best practices.",
    dataActions: [
      `${CS}/accounts/Face/detect/action`,
      `${CS}/accounts/Face/verify/action`,
      `${CS}/accounts/Face/identify/action`,
      `${CS}/accounts/Face/group/action`,
      `${CS}/accounts/Face/findsimilars/action`,
      `${CS}/accounts/Face/detectliveness/multimodal/action`,
      `${CS}/accounts/Face/detectliveness/singlemodal/action`,
      `${CS}/accounts/Face/detectlivenesswithverify/singlemodal/action`,
      `${CS}/accounts/Face/*/sessions/action`,
      `${CS}/accounts/Face/*/sessions/delete`,
      `${CS}/accounts/Face/*/sessions/read`,
      `${CS}/accounts/Face/*/sessions/audit/read`,
    ],
  },
  {
    id: 'b2de6794-95db-4659-8781-7e080d3f2b9d',
    roleName: 'Cognitive Services Immersive Reader User',
    description: 'Provides access to create Immersive Reader sessions and call APIs',
    dataActions: [`${CS}/accounts/ImmersiveReader/getcontentmodelforreader/action`],
  },
  {
    id: '93586559-c37d-4a6b-ba08-b9f0940c2d73',
    roleName: 'Cognitive Services Custom Vision Reader',
    description: "Read-only actions in the project. Readers can't create or update the project.",
    actions: [`${CS}/*/read`],
    dataActions: [`${CV}/*/read`, `${CV}/projects/predictions/query/action`],
    notDataActions: [`${CV}/projects/export/read`],
  },
  {
    id: '88424f51-ebe7-446f-bc41-7fa16989e96c',
    roleName: 'Cognitive Services Custom Vision Labeler',
    description:
      "View, edit training images and create, add, remove, or delete the image tags. Labelers can view the project but can't update anything other than training images and tags.",
    actions: [`${CS}/*/read`],
    dataActions: [
      `${CV}/*/read`,
      `${CV}/projects/predictions/query/action`,
      `${CV}/projects/images/*`,
      `${CV}/projects/tags/*`,
      `${CV}/projects/images/suggested/*`,
      `${CV}/projects/tagsandregions/suggestions/action`,
    ],
    notDataActions: [`${CV}/projects/export/read`],
  },
  {
    id: '5c4089e1-6d96-4d2f-b296-c1bc7137275f',
    roleName: 'Cognitive Services Custom Vision Deployment',
    description: "Publish, unpublish or export models. Deployment can view the project but can't update.",
    actions: [`${CS}/*/read`],
    dataActions: [
      `${CV}/*/read`,
      `${CV}/projects/predictions/*`,
      `${CV}/projects/iterations/publish/*`,
      `${CV}/projects/iterations/export/*`,
      `${CV}/projects/quicktest/*`,
      `${CV}/classify/*`,
      `${CV}/detect/*`,
    ],
    notDataActions: [`${CV}/projects/export/read`],
  },
  {
    id: '0a5ae4ab-0d65-4eeb-be61-29fc9b54394b',
    roleName: 'Cognitive Services Custom Vision Trainer',
    description:
      "View, edit projects and train the models, including the ability to publish, unpublish, export the models. Trainers can't create or delete the project.",
    actions: [`${CS}/*/read`],
    dataActions: [`${CV}/*`],
    notDataActions: [`${CV}/projects/action`, `${CV}/projects/delete`, `${CV}/projects/import/action`, `${CV}/projects/export/read`],
  },
  {
    id: 'c1ff6cc2-c111-46fe-8896-e0ef812ad9f3',
    roleName: 'Cognitive Services Custom Vision Contributor',
    description: 'Full access to the project, including the ability to view, create, edit, or delete projects.',
    actions: [`${CS}/*/read`],
    dataActions: [`${CV}/*`],
  },
  {
    id: '466ccd10-b268-4a11-b098-b4849f024126',
    roleName: 'Cognitive Services QnA Maker Reader',
    description: "Let's you read and test a KB only.",
    actions: READ_ROLES,
    dataActions: qna([
      'knowledgebases/read',
      'knowledgebases/download/read',
      'knowledgebases/generateanswer/action',
      'alterations/read',
      'endpointkeys/read',
      'endpointsettings/read',
    ]),
  },
  {
    id: 'f4cc2bf9-21be-47a1-bdf1-5c5804381025',
    roleName: 'Cognitive Services QnA Maker Editor',
    description: "Let's you create, edit, import and export a KB. You cannot publish or delete a KB.",
    actions: READ_ROLES,
    dataActions: qna([
      'knowledgebases/read',
      'knowledgebases/download/read',
      'knowledgebases/create/write',
      'knowledgebases/write',
      'knowledgebases/generateanswer/action',
      'knowledgebases/train/action',
      'alterations/read',
      'alterations/write',
      'endpointkeys/read',
      'endpointkeys/refreshkeys/action',
      'endpointsettings/read',
      'endpointsettings/write',
      'operations/read',
    ]),
  },
  {
    id: '3b20f47b-3825-43cb-8114-4bd2201156a8',
    roleName: 'Cognitive Services Metrics Advisor User',
    description: 'Access to the project.',
    actions: [`${CS}/*/read`],
    dataActions: [`${CS}/accounts/MetricsAdvisor/*`],
    notDataActions: [`${CS}/accounts/MetricsAdvisor/stats/*`],
  },
  {
    id: 'cb43c632-a144-4ec5-977c-e80c4affc34a',
    roleName: 'Cognitive Services Metrics Advisor Administrator',
    description: 'Full access to the project, including the system level configuration.',
    actions: [`${CS}/*/read`],
    dataActions: [`${CS}/accounts/MetricsAdvisor/*`],
  },
];
