import type { BuiltInRoleData } from './types.js';

/*
 * LUIS, Language and Speech roles. Source: MicrosoftDocs/azure-docs
 * built-in-roles/ai-machine-learning.md (ms.date 2024-12-12), JSON blocks
 * (two descriptions start with a space there, as in Azure).
 */
const CS = 'Microsoft.CognitiveServices';
const LUIS = `${CS}/accounts/LUIS`;
const LANG = `${CS}/accounts/Language`;
const CLU = `${CS}/accounts/ConversationalLanguageUnderstanding`;
const SPEECH = `${CS}/accounts/SpeechServices`;
const READ_ROLES = [`${CS}/*/read`, 'Microsoft.Authorization/roleAssignments/read', 'Microsoft.Authorization/roleDefinitions/read'];
const OWNER_ACTIONS = [`${CS}/*/read`, `${CS}/accounts/listkeys/action`, 'Microsoft.Authorization/roleAssignments/read', 'Microsoft.Authorization/roleDefinitions/read'];
const LANGUAGE_ALL = [`${CS}/accounts/LanguageAuthoring/*`, `${CLU}/*`, `${LANG}/*`, `${CS}/accounts/TextAnalytics/*`];
const NOT_QNA = `${CS}/accounts/TextAnalytics/QnaMaker/*`;

/** Readers and writers, narrower than Cognitive Services User. */
export const LANGUAGE_SPEECH_ROLES: readonly BuiltInRoleData[] = [
  {
    id: '18e81cdc-4e98-4e29-a639-e7d10c5a6226',
    roleName: 'Cognitive Services LUIS Reader',
    description: 'Has access to Read and Test functions under LUIS.',
    actions: READ_ROLES,
    dataActions: [`${LUIS}/*/read`, `${LUIS}/apps/testdatasets/write`],
  },
  {
    id: '6322a993-d5c9-4bed-b113-e49bbea25b27',
    roleName: 'Cognitive Services LUIS Writer',
    description: 'Has access to all Read, Test, and Write functions under LUIS',
    actions: READ_ROLES,
    dataActions: [`${LUIS}/*`],
    notDataActions: [
      `${LUIS}/apps/delete`,
      `${LUIS}/apps/move/action`,
      `${LUIS}/apps/publish/action`,
      `${LUIS}/apps/settings/write`,
      `${LUIS}/apps/azureaccounts/action`,
      `${LUIS}/apps/azureaccounts/delete`,
    ],
  },
  {
    id: '7628b7b8-a8b2-4cdc-b46f-e9b35248918e',
    roleName: 'Cognitive Services Language Reader',
    description: 'Has access to Read and Test functions under Language portal',
    actions: READ_ROLES,
    dataActions: [
      `${CS}/accounts/LanguageAuthoring/*/read`,
      `${CLU}/*/read`,
      `${CLU}/projects/export/action`,
      `${LANG}/*/read`,
      `${LANG}/*/projects/export/action`,
      `${LANG}/query-text/action`,
      `${LANG}/query-dataverse/action`,
      `${LANG}/analyze-text/jobs/action`,
      `${LANG}/analyze-text/action`,
      `${LANG}/analyze-text/jobscancel/action`,
      `${LANG}/analyze-conversations/action`,
      `${LANG}/analyze-conversations/jobscancel/action`,
      `${LANG}/analyze-conversations/jobs/action`,
      `${LANG}/query-knowledgebases/action`,
      `${LANG}/generate/action`,
      `${CS}/accounts/TextAnalytics/*`,
    ],
    notDataActions: [NOT_QNA],
  },
  {
    id: 'f2310ca1-dc64-4889-bb49-c8e0fa3d47a8',
    roleName: 'Cognitive Services Language Writer',
    description: ' Has access to all Read, Test, and Write functions under Language Portal',
    actions: READ_ROLES,
    dataActions: LANGUAGE_ALL,
    notDataActions: [
      `${CS}/accounts/LanguageAuthoring/projects/publish/action`,
      `${CLU}/projects/deployments/write`,
      NOT_QNA,
      `${LANG}/*/projects/delete`,
      `${LANG}/*/projects/deployments/write`,
      `${LANG}/*/projects/deployments/delete`,
      `${LANG}/*/projects/deployments/swap/action`,
    ],
  },
  {
    id: 'f2dc8367-1007-4938-bd23-fe263f013447',
    roleName: 'Cognitive Services Speech User',
    description:
      "Access to the real-time speech recognition and batch transcription APIs, real-time speech synthesis and long audio APIs, as well as to read the data/test/model/endpoint for custom models, but can't create, delete or modify the data/test/model/endpoint for custom models.",
    actions: READ_ROLES,
    dataActions: [
      `${SPEECH}/*/read`,
      `${SPEECH}/*/transcriptions/read`,
      `${SPEECH}/*/transcriptions/write`,
      `${SPEECH}/*/transcriptions/delete`,
      `${SPEECH}/*/transcriptions/action`,
      `${SPEECH}/*/frontend/action`,
      `${SPEECH}/text-dependent/*/action`,
      `${SPEECH}/text-independent/*/action`,
      `${CS}/accounts/CustomVoice/*/read`,
      `${CS}/accounts/CustomVoice/evaluations/*`,
      `${CS}/accounts/CustomVoice/longaudiosynthesis/*`,
      `${CS}/accounts/AudioContentCreation/*`,
      `${CS}/accounts/VideoTranslation/*`,
      `${CS}/accounts/CustomAvatar/*/read`,
      `${CS}/accounts/BatchAvatar/*`,
      `${CS}/accounts/BatchTextToSpeech/*`,
    ],
    notDataActions: [`${CS}/accounts/CustomVoice/datasets/files/read`, `${CS}/accounts/CustomVoice/datasets/utterances/read`],
  },
  {
    id: '0e75ca1e-0464-4b4d-8b93-68208a576181',
    roleName: 'Cognitive Services Speech Contributor',
    description:
      'Full access to Speech projects, including read, write and delete all entities, for real-time speech recognition and batch transcription tasks, real-time speech synthesis and long audio tasks, custom speech and custom voice.',
    actions: READ_ROLES,
    dataActions: [
      `${SPEECH}/*`,
      `${CS}/accounts/CustomVoice/*`,
      `${CS}/accounts/AudioContentCreation/*`,
      `${CS}/accounts/VideoTranslation/*`,
      `${CS}/accounts/CustomAvatar/*`,
      `${CS}/accounts/BatchAvatar/*`,
      `${CS}/accounts/BatchTextToSpeech/*`,
    ],
  },
];

/** The owners also list keys: ordered after Cognitive Services User, so that it is the role hints name for listKeys. */
export const LANGUAGE_OWNER_ROLES: readonly BuiltInRoleData[] = [
  {
    id: 'f72c8140-2111-481c-87ff-72b910f6e3f8',
    roleName: 'Cognitive Services LUIS Owner',
    description: ' Has access to all Read, Test, Write, Deploy and Delete functions under LUIS',
    actions: OWNER_ACTIONS,
    dataActions: [`${LUIS}/*`],
  },
  {
    id: 'f07febfe-79bc-46b1-8b37-790e26e6e498',
    roleName: 'Cognitive Services Language Owner',
    description: 'Has access to all Read, Test, Write, Deploy and Delete functions under Language portal',
    actions: OWNER_ACTIONS,
    dataActions: LANGUAGE_ALL,
    notDataActions: [NOT_QNA],
  },
];
